package org.kotekanj.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A reader of a {@link FrameBuffer} that never gates its producers: the baseband ring reads the receive frames while
 * the receive path keeps overwriting the oldest ones, and a reader that falls behind loses frames instead of stalling
 * ingest (Kotekan's baseband readout held a slot mutex that could stall the receiver; this cannot).
 *
 * <p>Reads are optimistic, seqlock style: {@link #generation} of a slot is the buffer sequence last claimed into it,
 * written before the producer touches the frame. A reader checks that the slot still holds the sequence it wants and
 * that it is published, copies, then calls {@link #stillHolds}: if a producer claimed the slot meanwhile, the copy
 * may be torn and must be discarded.
 */
public final class FrameReader
{
    private final FrameBuffer buffer;
    private final String stageName;

    FrameReader(final FrameBuffer buffer, final String stageName)
    {
        this.buffer = buffer;
        this.stageName = stageName;
    }

    public FrameBuffer buffer()
    {
        return buffer;
    }

    public String stageName()
    {
        return stageName;
    }

    public int numFrames()
    {
        return buffer.numFrames();
    }

    /** Frames {@code [0, result)} have been published by every producer. */
    public long published()
    {
        return buffer.producers().isEmpty() ? 0 : buffer.minPublished();
    }

    /** The oldest sequence no producer can have started to overwrite: {@code max(0, claimed - numFrames)}. */
    public long oldestIntact()
    {
        return Math.max(0, buffer.maxClaimed() - buffer.numFrames());
    }

    public int slotOf(final long sequence)
    {
        return buffer.slotOf(sequence);
    }

    /** The buffer sequence last claimed into {@code slot}, or -1 if none yet. Read with acquire semantics. */
    public long generation(final int slot)
    {
        return buffer.generation(slot);
    }

    /**
     * True if frame {@code sequence} is published and its slot has not been claimed again: read it, then confirm
     * with {@link #stillHolds}.
     */
    public boolean readable(final long sequence)
    {
        return sequence < published() && buffer.generation(buffer.slotOf(sequence)) == sequence;
    }

    /** After reading frame {@code sequence}: true if no producer claimed its slot while it was read. */
    public boolean stillHolds(final long sequence)
    {
        VarHandle.loadLoadFence();
        return buffer.generation(buffer.slotOf(sequence)) == sequence;
    }

    public MemorySegment frame(final int slot)
    {
        return buffer.frameSegment(slot);
    }

    public MemorySegment metadata(final int slot)
    {
        return buffer.metadataSegment(slot);
    }

    /** True when every producer has closed. */
    public boolean producersClosed()
    {
        return buffer.producersClosed();
    }
}
