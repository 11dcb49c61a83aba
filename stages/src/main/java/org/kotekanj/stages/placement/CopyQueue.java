package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

/**
 * The copies one receive batch queues, in {@link CopyQueueDescriptor} layout (one entry per packet: the grid of its
 * payload runs). Entries are copied ahead, without a fence, every {@code ahead} entries, and {@link #flush} (when the
 * batch ends or before a frame they touch is published) copies the rest and fences once, so every store is visible
 * when it returns. The queue is a plain {@code long[]} (queueing a packet is eight array stores); the native helper
 * reads it in place through a critical downcall with heap access.
 */
public final class CopyQueue
{
    private static final int LONGS_PER_ENTRY = CopyQueueDescriptor.ENTRY_LENGTH / Long.BYTES;
    /**
     * Each packet is copied (without a fence) as soon as it is queued, so its streaming stores drain to memory while
     * the next packet is placed; the flush at the end of the batch only fences. PlacementBenchmark, chime, -f 2: 209
     * ns/packet when the whole batch is copied at its end, 195 copying every 2 entries, 187 every entry (C loop 183-187
     * in the same runs).
     */
    private static final int AHEAD_ENTRIES = 1;

    private final long[] entries;
    private final MemorySegment view;
    private final int capacity;
    private final CopyEngine engine;
    private final int ahead;
    private int count;
    private boolean unfenced;

    public CopyQueue(final int capacity, final CopyEngine engine)
    {
        this(capacity, engine, AHEAD_ENTRIES);
    }

    /**
     * @param ahead entries after which the queue copies ahead ({@link CopyEngine#copyAhead}, no fence) without
     * waiting for the flush; {@code capacity} or more never copies ahead.
     */
    public CopyQueue(final int capacity, final CopyEngine engine, final int ahead)
    {
        this.ahead = Math.max(1, Math.min(ahead, capacity));
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
        if (++count == ahead && ahead < capacity)
        {
            engine.copyAhead(view, count);
            count = 0;
            unfenced = true;
        }
    }

    /** Executes every queued copy; every copy queued so far is visible when this returns. */
    public void flush()
    {
        if (count > 0 || unfenced)
        {
            engine.copyBatch(view, count);
            count = 0;
            unfenced = false;
        }
    }

    public CopyEngine engine()
    {
        return engine;
    }
}
