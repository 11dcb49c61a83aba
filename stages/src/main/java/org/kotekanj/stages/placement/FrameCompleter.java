package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.stages.receive.ReceiverContext;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Everything about one frame's contents that is not the payload copy: the frame-offset and presence arithmetic (the
 * one place that knows where packet slot {@code k} of a stream lands and which presence byte says it did), setting
 * up a frame's metadata when it opens, and completing it before it is published: every lost cell of this producer's
 * streams filled with {@code 0x88} (only lost cells: payload is written once, never pre-filled), and its samples
 * counted as lost. Input padding is filled once per buffer slot. It also records, per stream, the offset that
 * re-aligned the stream onto the receiver's timeline ({@link StreamTracker#offset}), so a consumer can tell each
 * sample's F-engine counter ({@link FrameMetadataDescriptor#seqOffset}); one frame holds one offset per stream.
 */
public final class FrameCompleter implements AutoCloseable
{
    private final PlacementPlan plan;
    private final SampleFrameLayout layout;
    private final CopyQueue copies;
    private final ReceiveCounters counters;
    private final StreamTracker tracker;
    private final int[] ownedStreams;
    private final boolean ownsAll;
    private final boolean[] paddingReady;
    private final Arena arena = Arena.ofShared();
    private final long fillAddress;
    private final long samplesPerFrame;
    private final long rowStride;
    private final int samplesPerPacket;
    private final int freqsPerPacket;
    private final int inputsPerPacket;
    private final long presenceOffset;
    private final long seqOffsetsOffset;
    private final long presenceRowStride;
    private final int[] presenceCell;
    private final long[] runOffset;
    private final boolean[] evenRuns;
    private final long[] runStride;

    /**
     * @param slots slots of the output buffer (padding is filled once per slot).
     */
    public FrameCompleter(final ReceiverContext context, final CopyQueue copies, final ReceiveCounters counters,
        final int slots, final StreamTracker tracker)
    {
        this.plan = context.plan();
        this.tracker = tracker;
        this.layout = plan.layout();
        this.copies = copies;
        this.counters = counters;
        this.ownedStreams = context.ownedStreams();
        this.ownsAll = ownedStreams.length == plan.numStreams();
        this.paddingReady = new boolean[slots];
        this.samplesPerFrame = layout.samplesPerFrame();
        this.rowStride = layout.paddedInputs();
        this.samplesPerPacket = plan.geometry().samplesPerPacket();
        this.freqsPerPacket = plan.geometry().freqsPerPacket();
        this.inputsPerPacket = plan.geometry().inputsPerPacket();
        this.presenceOffset = FrameMetadataDescriptor.presenceOffset(layout.numFreqs(), plan.numStreams());
        this.seqOffsetsOffset = FrameMetadataDescriptor.seqOffsetsOffset(layout.numFreqs(), plan.numStreams());
        this.presenceRowStride = (long)layout.numFreqs() * plan.numBlocks();
        final MemorySegment fill = arena.allocate(Math.max(inputsPerPacket, layout.paddedInputs()), 64);
        fill.fill(PacketHeaderDescriptor.FILL);
        this.fillAddress = fill.address();
        // Per run (stream, k): the frame offset of its bytes in time sample 0, and its presence cell within a row.
        this.presenceCell = new int[plan.numStreams() * freqsPerPacket];
        this.runOffset = new long[plan.numStreams() * freqsPerPacket];
        final long frameBytes = layout.frameBytes();
        for (int s = 0; s < plan.numStreams(); s++)
        {
            for (int k = 0; k < freqsPerPacket; k++)
            {
                final int freq = plan.freqIndex(s, k);
                presenceCell[s * freqsPerPacket + k] = freq * plan.numBlocks() + plan.inputBlock(s);
                final long offset = (long)freq * samplesPerFrame * rowStride + (long)plan.inputBlock(s) * inputsPerPacket;
                final long last = offset + (samplesPerFrame - 1) * rowStride + inputsPerPacket;
                if (freq < 0 || offset < 0 || last > frameBytes)
                {
                    throw new IllegalArgumentException("stream " + s + " slot " + k + " would place outside the frame");
                }
                runOffset[s * freqsPerPacket + k] = offset;
            }
        }
        // Per stream: whether its slots lie evenly apart in the frame (true of every stream table this project
        // builds), so that a packet is one queue entry; otherwise one entry per slot.
        this.evenRuns = new boolean[plan.numStreams()];
        this.runStride = new long[plan.numStreams()];
        for (int s = 0; s < plan.numStreams(); s++)
        {
            final int first = s * freqsPerPacket;
            final long stride = freqsPerPacket > 1 ? runOffset[first + 1] - runOffset[first] : 0;
            boolean even = true;
            for (int k = 2; k < freqsPerPacket; k++)
            {
                even &= runOffset[first + k] - runOffset[first + k - 1] == stride;
            }
            evenRuns[s] = even;
            runStride[s] = stride;
        }
    }

    /** The first run of a stream: runs {@code firstRun(s) + k} for {@code k < freqs per packet}. */
    public int firstRun(final int stream)
    {
        return stream * freqsPerPacket;
    }

    /**
     * Queues the copies of one packet-length of a stream's cells starting at time sample {@code time} of a frame:
     * runs of {@code inputsPerPacket} bytes from {@code src}, {@code srcStride} bytes apart in packet order (time
     * major, slot minor): a payload's run length, or 0 to repeat one fill run. One queue entry when the stream's slots
     * lie evenly apart in the frame. {@code time} must be a packet boundary in {@code [0, samplesPerFrame)}.
     */
    public void queueCells(final long src, final long srcStride, final long frameAddress, final int time,
        final int stream)
    {
        final int first = firstRun(stream);
        final long at = frameAddress + (long)time * rowStride;
        if (evenRuns[stream])
        {
            copies.addRuns(src, srcStride, at + runOffset[first], inputsPerPacket, freqsPerPacket, runStride[stream],
                samplesPerPacket, rowStride);
            return;
        }
        for (int k = 0; k < freqsPerPacket; k++)
        {
            copies.addRuns(src + k * srcStride, srcStride * freqsPerPacket, at + runOffset[first + k], inputsPerPacket,
                1, 0, samplesPerPacket, rowStride);
        }
    }

    /** Offset in the metadata of the presence byte of a run in presence row {@code row}. */
    public long presence(final int row, final int run)
    {
        return presenceOffset + (long)row * presenceRowStride + presenceCell[run];
    }

    /** Sets up the metadata of a frame being opened (and its slot's padding, the first time the slot is used). */
    public void open(final int slot, final long frameAddress, final MemorySegment meta, final long frame,
        final boolean lead)
    {
        if (!paddingReady[slot])
        {
            fillPadding(frameAddress);
            paddingReady[slot] = true;
        }
        FrameMetadataDescriptor.initialise(meta, layout.samplesPerFrame(), layout.numFreqs(), layout.paddedInputs(),
            plan.numBlocks(), samplesPerPacket, plan.numStreams());
        FrameMetadataDescriptor.firstSeq(meta, frame * samplesPerFrame);
        for (int f = 0; f < layout.numFreqs(); f++)
        {
            FrameMetadataDescriptor.freqId(meta, f, plan.freqId(f));
        }
        for (int s = 0; s < plan.numStreams(); s++)
        {
            FrameMetadataDescriptor.streamId(meta, s, plan.streamId(s));
        }
        for (final int stream : ownedStreams)
        {
            FrameMetadataDescriptor.seqOffset(meta, stream, tracker.offset(stream));
        }
        if (lead)
        {
            FrameMetadataDescriptor.arrivalNanos(meta, System.currentTimeMillis() * 1_000_000L);
        }
        clearPresence(meta);
    }

    /**
     * Fills and counts the lost cells of this producer's streams in an open frame; returns how many (row, freq,
     * block) cells were lost. Cells at or after a stream's {@code end} (its data had not arrived yet) are filled and
     * flagged but not counted as lost samples.
     *
     * @param end per stream, where its data ends; null to count every missing cell.
     */
    public long complete(final long frameAddress, final MemorySegment meta, final long frame, final StreamTracker end)
    {
        copies.flush();
        long lostCells = 0;
        final int rows = plan.rows();
        final long firstSeq = frame * samplesPerFrame;
        for (final int stream : ownedStreams)
        {
            final int run = firstRun(stream);
            for (int row = 0; row < rows; row++)
            {
                if (meta.get(JAVA_BYTE, presence(row, run)) != 0)
                {
                    continue;
                }
                if (end == null || firstSeq + (long)row * samplesPerPacket < end.endOfStream(stream))
                {
                    counters.add(stream, ReceiveCounters.LOST_SAMPLES, samplesPerPacket);
                }
                lostCells += freqsPerPacket;
                queueCells(fillAddress, 0, frameAddress, row * samplesPerPacket, stream);
            }
        }
        copies.flush();
        return lostCells;
    }

    /**
     * Whether a packet of {@code stream} placed with {@code offset} may go into this open frame: yes if the frame
     * records that offset for the stream, or holds none of its data yet (the offset is then recorded); no if it holds
     * data of the stream placed with another offset (the stream moved while the frame was open: the packet is too
     * old for it). Hot path: one compare unless the stream just moved.
     */
    public boolean claimOffset(final MemorySegment meta, final int stream, final long offset)
    {
        final long at = seqOffsetsOffset + 8L * stream;
        if (meta.get(JAVA_LONG_UNALIGNED, at) == offset)
        {
            return true;
        }
        if (holdsData(meta, stream))
        {
            return false;
        }
        meta.set(JAVA_LONG_UNALIGNED, at, offset);
        return true;
    }

    /**
     * {@link FrameMetadataDescriptor#FLAG_REALIGNED} if the frame holds data of one of this producer's streams placed
     * with a non-zero offset (a stream whose cells are all lost carries no re-aligned samples).
     */
    public int realignedFlag(final MemorySegment meta)
    {
        for (final int stream : ownedStreams)
        {
            if (FrameMetadataDescriptor.seqOffset(meta, stream) != 0 && holdsData(meta, stream))
            {
                return FrameMetadataDescriptor.FLAG_REALIGNED;
            }
        }
        return 0;
    }

    /** Whether any cell of {@code stream} in the frame holds data (scans its presence rows up to the first). */
    private boolean holdsData(final MemorySegment meta, final int stream)
    {
        final int run = firstRun(stream);
        for (int row = 0; row < plan.rows(); row++)
        {
            if (meta.get(JAVA_BYTE, presence(row, run)) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whole frames no producer will ever hold. Charged to every owned stream, at most the window's worth: a gap
     * wider than the window is a discontinuity (counted as a jump by the tracker), not trillions of lost samples.
     */
    public void countSkipped(final long skippedFrames, final int windowFrames)
    {
        final long charged = Math.min(skippedFrames, windowFrames) * samplesPerFrame;
        for (final int stream : ownedStreams)
        {
            counters.add(stream, ReceiveCounters.LOST_SAMPLES, charged);
        }
    }

    private void clearPresence(final MemorySegment meta)
    {
        if (ownsAll)
        {
            FrameMetadataDescriptor.presenceMap(meta).fill((byte)0);
            return;
        }
        for (final int stream : ownedStreams)
        {
            final int run = firstRun(stream);
            for (int row = 0; row < plan.rows(); row++)
            {
                for (int k = 0; k < freqsPerPacket; k++)
                {
                    meta.set(JAVA_BYTE, presence(row, run + k), (byte)0);
                }
            }
        }
    }

    private void fillPadding(final long base)
    {
        final long width = layout.paddedInputs() - plan.numInputs();
        if (width <= 0)
        {
            return;
        }
        for (int f = 0; f < layout.numFreqs(); f++)
        {
            copies.addRuns(fillAddress, 0, base + layout.offset(f, 0, plan.numInputs()), width, 1, 0,
                layout.samplesPerFrame(), rowStride);
        }
        copies.flush();
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
