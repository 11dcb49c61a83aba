package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

/**
 * The copies one receive batch queues, in {@link CopyQueueDescriptor} layout (one entry per packet: the grid of its
 * payload runs), executed by one {@link CopyEngine} call when the batch ends or before a frame they touch is
 * published. The queue is a plain {@code long[]} (queueing a packet is eight array stores); the native helper reads
 * it in place through a critical downcall with heap access.
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
        addRuns(src, 0, dst, length, 1, 0, 1, 0);
    }

    /**
     * Queues {@code rows x runs} runs of {@code length} bytes as one entry (see {@link CopyQueueDescriptor}): run
     * {@code i} of row {@code r} from {@code src + (r * runs + i) * srcStride} to
     * {@code dst + r * rowStride + i * runStride}. Flushes first if the queue is full.
     */
    public void addRuns(final long src, final long srcStride, final long dst, final long length, final int runs,
        final long runStride, final int rows, final long rowStride)
    {
        if (count == capacity)
        {
            flush();
        }
        final int entry = count * LONGS_PER_ENTRY;
        final long[] e = entries;
        e[entry + 7] = rowStride;
        e[entry] = src;
        e[entry + 1] = dst;
        e[entry + 2] = length;
        e[entry + 3] = srcStride;
        e[entry + 4] = runs;
        e[entry + 5] = runStride;
        e[entry + 6] = rows;
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
