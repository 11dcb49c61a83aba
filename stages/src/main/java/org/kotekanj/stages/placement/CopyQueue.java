package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

/**
 * The copies one receive batch queues: (source, destination, length) runs in {@link CopyQueueDescriptor} layout,
 * executed by one {@link CopyEngine} call when the batch ends or before a frame they touch is published. The queue
 * is a plain {@code long[]} (queueing is three array stores); the native helper reads it in place through a critical
 * downcall with heap access.
 */
public final class CopyQueue
{
    private static final int LONGS_PER_ENTRY = CopyQueueDescriptor.ENTRY_LENGTH / Long.BYTES;

    private final long[] entries;
    private final MemorySegment view;
    private final int capacity;
    private final CopyEngine engine;
    private int count;

    public CopyQueue(final int capacity, final CopyEngine engine)
    {
        this.capacity = capacity;
        this.engine = engine;
        this.entries = new long[capacity * LONGS_PER_ENTRY];
        this.view = MemorySegment.ofArray(entries);
    }

    /** Queues one run; flushes first if the queue is full. */
    public void add(final long src, final long dst, final long length)
    {
        if (count == capacity)
        {
            flush();
        }
        final int entry = count * LONGS_PER_ENTRY;
        entries[entry] = src;
        entries[entry + 1] = dst;
        entries[entry + 2] = length;
        count++;
    }

    /** Executes every queued copy. */
    public void flush()
    {
        if (count > 0)
        {
            engine.copyBatch(view, count);
            count = 0;
        }
    }

    public CopyEngine engine()
    {
        return engine;
    }
}
