package org.kotekanj.stages.placement;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameProducer;

/**
 * The receiver's timeline as every receive core filling one buffer shares it: the newest frame any of them has opened,
 * the re-alignment epoch of the latest F-engine reset or jump, and which core owns which stream.
 *
 * <p>Two cores that each followed their own streams would each choose an epoch for the same reset from what they alone
 * had seen: a core whose links lost the last frame before the reset would re-align its streams a frame earlier than
 * the other core, and every frame after would hold the two halves of the inputs at different F-engine samples, which
 * the correlator multiplies together. Here the epoch is chosen once, by whichever core confirms a move first, after
 * every frame either core has opened, and reused by the streams of every core that move with it (the rule of
 * {@link StreamTracker}). A core still behind on its old data when the other chose the epoch loses that data's
 * overlap with the re-aligned frames (counted too old) rather than re-aligning differently.
 *
 * <p>Cost: a read (and a CAS when it is the newest) per opened frame, a lock per confirmed move; nothing per packet.
 */
public final class SharedTimeline
{
    private final AtomicLong newestFrame = new AtomicLong(-1);
    private final Map<Integer, FrameProducer> owners = new HashMap<>();
    private boolean epochSet;
    private long epoch;

    /** The timeline of every receive core filling {@code buffer}. */
    public static SharedTimeline of(final FrameBuffer buffer)
    {
        return buffer.attachment(SharedTimeline.class, SharedTimeline::new);
    }

    /**
     * Records that {@code producer} fills the cells of {@code streams}; returns why it may not (another producer of
     * the buffer owns one of them: both would fill and flag the same cells, and each re-align it on its own), else
     * null.
     */
    public synchronized String own(final FrameProducer producer, final int[] streams)
    {
        for (final int stream : streams)
        {
            final FrameProducer owner = owners.get(stream);
            if (owner != null && owner != producer)
            {
                return "stream " + stream + " is also filled by " + owner.stageName() + ", which writes the same " +
                    "buffer: give each receive stage of one buffer its own streams";
            }
        }
        for (final int stream : streams)
        {
            owners.put(stream, producer);
        }
        return null;
    }

    /** A window opened {@code frame}. */
    public void opened(final long frame)
    {
        if (frame > newestFrame.get())
        {
            newestFrame.accumulateAndGet(frame, Math::max);
        }
    }

    /** The newest frame any window of the buffer has opened, -1 before the first. */
    public long newestFrame()
    {
        return newestFrame.get();
    }

    /**
     * The offset that places a stream moved to {@code seq} on the timeline: the epoch, if the stream is not on it
     * yet ({@code currentOffset}) and it puts the stream within {@code resetThreshold} of the present (it moved with
     * the stream that chose the epoch); otherwise a new epoch starting it in the first frame after every frame any
     * core has opened (the caller's window among them) and after the caller's newest sample.
     *
     * @param head the caller's newest position on the timeline (-1 if none).
     */
    public synchronized long realign(final long seq, final long currentOffset, final long head,
        final long samplesPerFrame, final long resetThreshold)
    {
        final long newest = newestFrame();
        final long present = Math.max(head, newest < 0 ? -1 : newest * samplesPerFrame);
        if (epochSet && currentOffset != epoch && seq + epoch >= 0 && Math.abs(seq + epoch - present) <= resetThreshold)
        {
            return epoch;
        }
        final long headFrame = head < 0 ? 0 : Math.floorDiv(head, samplesPerFrame) + 1;
        final long startFrame = Math.max(headFrame, newest + 1);
        epoch = startFrame * samplesPerFrame - Math.floorDiv(seq, samplesPerFrame) * samplesPerFrame;
        epochSet = true;
        return epoch;
    }
}
