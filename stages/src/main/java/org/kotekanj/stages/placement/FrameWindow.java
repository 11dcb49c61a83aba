package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.SampleFrameLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The receive path's window of open output frames, in absolute sample time: frame {@code F} holds samples
 * {@code [F·T, (F+1)·T)}. Packets for any open frame are placed (late packets inside the window are not lost, unlike
 * CHIME's receiver); a packet beyond the newest frame opens frames and publishes the oldest ones that fall out of the
 * window; a packet older than every open frame is too old.
 *
 * <p>Publishing a frame flushes the queued copies, fills every lost cell of this producer's streams with {@code 0x88}
 * (only lost cells: the payload is written once, never pre-filled), counts lost samples per stream, and marks the
 * frame full. Input padding is filled once per buffer slot. When no frame is free downstream the window does not
 * wait: the caller drops the packet and counts back-pressure. Several receive stages may fill one buffer: the frame
 * each buffer sequence holds is agreed through {@link FrameProducer#agree}, and each stage only initialises, fills
 * and counts the cells of the streams it owns; the shared header fields (arrival, flags, lost cells) are written by
 * the buffer's first producer only.
 */
public final class FrameWindow implements AutoCloseable
{
    public static final int TOO_OLD = -1;
    public static final int BACKPRESSURE = -2;

    private final FrameProducer producer;
    private final PlacementPlan plan;
    private final SampleFrameLayout layout;
    private final CopyQueue copies;
    private final ReceiveCounters counters;
    private final int[] ownedStreams;
    private final boolean ownsAll;
    private final boolean lead;
    private final int capacity;
    private final long[] frames;
    private final int[] slots;
    private final long[] addresses;
    private final MemorySegment[] metadata;
    private final boolean[] paddingReady;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment fillSource;
    private final long fillAddress;
    private final long samplesPerFrame;
    private final long rowBytesStride;
    private final int samplesPerPacket;
    private final int inputsPerPacket;
    private final long presenceOffset;
    private final long presenceRowStride;
    private int open;
    private long lastFrame = -1;
    private int pendingFlags;
    private long[] countingEnd;
    private long published;

    public FrameWindow(final FrameProducer producer, final PlacementPlan plan, final CopyQueue copies,
        final ReceiveCounters counters, final int[] ownedStreams, final int capacity)
    {
        this.producer = producer;
        this.plan = plan;
        this.layout = plan.layout();
        this.copies = copies;
        this.counters = counters;
        this.ownedStreams = ownedStreams.clone();
        this.ownsAll = ownedStreams.length == plan.numStreams();
        this.lead = producer.buffer().producers().indexOf(producer) == 0;
        this.capacity = capacity;
        this.frames = new long[capacity];
        this.slots = new int[capacity];
        this.addresses = new long[capacity];
        this.metadata = new MemorySegment[capacity];
        this.paddingReady = new boolean[producer.buffer().numFrames()];
        this.samplesPerFrame = layout.samplesPerFrame();
        this.rowBytesStride = layout.paddedInputs();
        this.samplesPerPacket = plan.geometry().samplesPerPacket();
        this.inputsPerPacket = plan.geometry().inputsPerPacket();
        this.presenceOffset = FrameMetadataDescriptor.presenceOffset(layout.numFreqs(), plan.numStreams());
        this.presenceRowStride = (long)layout.numFreqs() * plan.numBlocks();
        final long fillLength = Math.max(inputsPerPacket, layout.paddedInputs());
        this.fillSource = arena.allocate(fillLength, 64);
        fillSource.fill(PacketHeaderDescriptor.FILL);
        this.fillAddress = fillSource.address();
    }

    /**
     * The open-frame entry holding frame {@code frame}, opening frames as needed; {@link #TOO_OLD} if that frame was
     * already published or skipped, {@link #BACKPRESSURE} if it needs a frame and none is free downstream.
     */
    public int entryFor(final long frame)
    {
        for (int e = open - 1; e >= 0; e--)
        {
            if (frames[e] == frame)
            {
                return e;
            }
        }
        final long newestOpen = open > 0 ? frames[open - 1] : lastFrame;
        if (newestOpen >= 0 && frame <= newestOpen)
        {
            return TOO_OLD;
        }
        while (true)
        {
            while (open > 0 && frames[0] <= frame - capacity)
            {
                publishOldest();
            }
            final long newest = open > 0 ? frames[open - 1] : lastFrame;
            final long proposal = newest < 0 ? frame : Math.max(newest + 1, frame - (capacity - 1));
            final int slot = producer.tryClaim();
            if (slot < 0)
            {
                pendingFlags |= FrameMetadataDescriptor.FLAG_BACKPRESSURE;
                return BACKPRESSURE;
            }
            final long agreed = producer.agree(proposal);
            if (newest >= 0 && agreed > newest + 1)
            {
                countSkipped(agreed - newest - 1);
            }
            openFrame(slot, agreed);
            if (agreed == frame)
            {
                return open - 1;
            }
            if (agreed > frame)
            {
                return TOO_OLD;
            }
        }
    }

    /** Absolute address of the first byte of an open frame. */
    public long address(final int entry)
    {
        return addresses[entry];
    }

    public MemorySegment metadata(final int entry)
    {
        return metadata[entry];
    }

    /** Bytes in one frame (the bound every computed destination is checked against). */
    public long frameBytes()
    {
        return layout.frameBytes();
    }

    /** Marks the open frames as containing an F-engine reset. */
    public void flagReset()
    {
        pendingFlags |= FrameMetadataDescriptor.FLAG_RESET;
        if (lead)
        {
            for (int e = 0; e < open; e++)
            {
                FrameMetadataDescriptor.flags(metadata[e],
                    FrameMetadataDescriptor.flags(metadata[e]) | FrameMetadataDescriptor.FLAG_RESET);
            }
        }
    }

    /** Publishes every open frame and forgets the window's position (after a reset). */
    public void restart()
    {
        publishAll();
        lastFrame = -1;
    }

    public void publishAll()
    {
        while (open > 0)
        {
            publishOldest();
        }
    }

    /**
     * Publishes every open frame at shutdown. The cells after each stream's last packet are filled and flagged like
     * any lost cell, but not counted as lost samples: they had not arrived yet, they were not lost on the way.
     *
     * @param endOfStream per stream, the sample counter after its last packet (samples from there on are not counted).
     */
    public void publishAllAtEnd(final long[] endOfStream)
    {
        countingEnd = endOfStream;
        try
        {
            publishAll();
        }
        finally
        {
            countingEnd = null;
        }
    }

    /** The oldest frame still open, else the next frame to open, else {@link Long#MIN_VALUE} before any frame. */
    public long lowestOpenOrNext()
    {
        if (open > 0)
        {
            return frames[0];
        }
        return lastFrame >= 0 ? lastFrame + 1 : Long.MIN_VALUE;
    }

    public int openFrames()
    {
        return open;
    }

    /** Frames this window has published. */
    public long published()
    {
        return published;
    }

    private void openFrame(final int slot, final long frame)
    {
        final MemorySegment data = producer.frame(slot);
        final MemorySegment meta = producer.metadata(slot);
        if (!paddingReady[slot])
        {
            fillPadding(data.address());
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
        if (lead)
        {
            FrameMetadataDescriptor.arrivalNanos(meta, System.currentTimeMillis() * 1_000_000L);
            FrameMetadataDescriptor.flags(meta, pendingFlags);
            FrameMetadataDescriptor.lostCells(meta, 0);
        }
        pendingFlags = 0;
        clearPresence(meta);
        frames[open] = frame;
        slots[open] = slot;
        addresses[open] = data.address();
        metadata[open] = meta;
        open++;
        lastFrame = frame;
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
            for (int row = 0; row < plan.rows(); row++)
            {
                for (int k = 0; k < plan.geometry().freqsPerPacket(); k++)
                {
                    meta.set(JAVA_BYTE, FrameMetadataDescriptor.presenceIndex(meta, row, plan.freqIndex(stream, k),
                        plan.inputBlock(stream)), (byte)0);
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
            for (int t = 0; t < layout.samplesPerFrame(); t++)
            {
                copies.add(fillAddress, base + layout.offset(f, t, plan.numInputs()), width);
            }
        }
        copies.flush();
    }

    private void publishOldest()
    {
        copies.flush();
        final long base = addresses[0];
        final MemorySegment meta = metadata[0];
        long lostCells = 0;
        final int rows = plan.rows();
        final int freqsPerPacket = plan.geometry().freqsPerPacket();
        for (final int stream : ownedStreams)
        {
            final int block = plan.inputBlock(stream);
            final long blockOffset = (long)block * inputsPerPacket;
            final long cell = presenceOffset + (long)plan.freqIndex(stream, 0) * plan.numBlocks() + block;
            for (int row = 0; row < rows; row++)
            {
                if (meta.get(JAVA_BYTE, cell + row * presenceRowStride) != 0)
                {
                    continue;
                }
                if (countingEnd == null || frames[0] * samplesPerFrame + (long)row * samplesPerPacket < countingEnd[stream])
                {
                    counters.add(stream, ReceiveCounters.LOST_SAMPLES, samplesPerPacket);
                }
                lostCells += freqsPerPacket;
                for (int k = 0; k < freqsPerPacket; k++)
                {
                    final long freqBase = base + (long)plan.freqIndex(stream, k) * samplesPerFrame * rowBytesStride +
                        blockOffset;
                    for (int t = 0; t < samplesPerPacket; t++)
                    {
                        copies.add(fillAddress, freqBase + ((long)row * samplesPerPacket + t) * rowBytesStride,
                            inputsPerPacket);
                    }
                }
            }
        }
        copies.flush();
        if (lead && ownsAll)
        {
            FrameMetadataDescriptor.lostCells(meta, lostCells);
        }
        producer.publish();
        published++;
        open--;
        System.arraycopy(frames, 1, frames, 0, open);
        System.arraycopy(slots, 1, slots, 0, open);
        System.arraycopy(addresses, 1, addresses, 0, open);
        System.arraycopy(metadata, 1, metadata, 0, open);
        metadata[open] = null;
    }

    /** Whole frames that no producer will ever hold: every owned stream lost all their samples. */
    private void countSkipped(final long skippedFrames)
    {
        for (final int stream : ownedStreams)
        {
            counters.add(stream, ReceiveCounters.LOST_SAMPLES, skippedFrames * samplesPerFrame);
        }
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
