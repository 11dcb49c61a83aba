package org.kotekanj.buffer;

import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.status.MetricNames;
import org.kotekanj.status.MetricsRegistry;

/**
 * One producer's side of a {@link FrameBuffer}, used by a single stage thread.
 *
 * <p>A producer claims frames in sequence order and may hold several open at once (the receive path keeps a window
 * of frames to absorb reordering); it publishes them oldest first. {@link #tryClaim} never blocks: it returns -1 when
 * the next frame is still being read downstream, and the caller decides whether to wait or drop.
 */
public final class FrameProducer
{
    private final FrameBuffer buffer;
    private final int index;
    private final String stageName;
    private long claimed;
    private long published;
    private long freeLimit;
    private AtomicCounter waits;
    private volatile boolean closed;

    FrameProducer(final FrameBuffer buffer, final int index, final String stageName)
    {
        this.buffer = buffer;
        this.index = index;
        this.stageName = stageName;
    }

    void bind(final MetricsRegistry metrics)
    {
        waits = metrics.counter(MetricNames.BUFFER_PRODUCER_WAITS, stageName, "buffer", buffer.name());
        freeLimit = buffer.numFrames();
    }

    public FrameBuffer buffer()
    {
        return buffer;
    }

    public String stageName()
    {
        return stageName;
    }

    /**
     * Claims the next frame for writing.
     *
     * @return its slot, or -1 if that frame is still held by a consumer (counted as a producer wait).
     */
    public int tryClaim()
    {
        final long sequence = claimed;
        if (sequence >= freeLimit)
        {
            freeLimit = buffer.minReleased() + buffer.numFrames();
            if (sequence >= freeLimit)
            {
                waits.incrementRelease();
                return -1;
            }
        }
        claimed = sequence + 1;
        buffer.claimGeneration(sequence);
        buffer.claimCursor(index, claimed);
        return buffer.slotOf(sequence);
    }

    /**
     * Agrees with the other producers on a tag for the most recently claimed frame (e.g. which absolute frame of
     * sample time it holds): the first producer to propose decides, the rest adopt its answer. This is how several
     * receive cores fill one set of frames coordinated at frame granularity only.
     */
    public long agree(final long proposal)
    {
        if (claimed == published)
        {
            throw new IllegalStateException(stageName + " has no open frame of " + buffer.name() + " to agree on");
        }
        return buffer.agree(claimed - 1, proposal);
    }

    /**
     * Adds this producer's share of its oldest open frame's header totals (e.g. lost cells and flags, when several
     * receive cores fill one frame). Returns the merged {@link HeaderShare} word if this share was the last one
     * (the caller then writes the totals into the metadata before {@link #publish}), else -1.
     */
    public long contribute(final long count, final int flags)
    {
        if (published == claimed)
        {
            throw new IllegalStateException(stageName + " has no open frame of " + buffer.name() + " to contribute to");
        }
        return buffer.contribute(published, count, flags);
    }

    /** Marks the oldest claimed frame full for this producer; it becomes readable once every producer has. */
    public void publish()
    {
        if (published == claimed)
        {
            throw new IllegalStateException(stageName + " published a frame of " + buffer.name() + " it never claimed");
        }
        published++;
        buffer.publishCursor(index, published);
    }

    /** Frames that {@link #tryClaim} could claim right now without waiting for a consumer. */
    public long freeFrames()
    {
        return Math.max(0, buffer.minReleased() + buffer.numFrames() - claimed);
    }

    /** Frames claimed and not yet published. */
    public int openFrames()
    {
        return (int)(claimed - published);
    }

    /** Sequence number of the oldest open frame (equal to {@link #claimedSequence} when none is open). */
    public long publishedSequence()
    {
        return published;
    }

    /** Sequence number the next {@link #tryClaim} will return. */
    public long claimedSequence()
    {
        return claimed;
    }

    /** The slot holding frame {@code sequence}. */
    public int slotOf(final long sequence)
    {
        return buffer.slotOf(sequence);
    }

    public MemorySegment frame(final int slot)
    {
        return buffer.frameSegment(slot);
    }

    public MemorySegment metadata(final int slot)
    {
        return buffer.metadataSegment(slot);
    }

    /** Declares that this producer is finished; consumers drain what was published and then see end of stream. */
    public void close()
    {
        closed = true;
    }

    public boolean isClosed()
    {
        return closed;
    }
}
