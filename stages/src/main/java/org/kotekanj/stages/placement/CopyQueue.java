package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The copies one receive batch queues: (source, destination, length) runs, executed by one {@link CopyEngine} call
 * when the batch ends or before a frame they touch is published. Off-heap, so the native helper reads it directly.
 */
public final class CopyQueue implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final int capacity;
    private final CopyEngine engine;
    private int count;

    public CopyQueue(final int capacity, final CopyEngine engine)
    {
        this.capacity = capacity;
        this.engine = engine;
        this.entries = arena.allocate((long)capacity * CopyQueueDescriptor.ENTRY_LENGTH, 64);
    }

    /** Queues one run; flushes first if the queue is full. */
    public void add(final long src, final long dst, final long length)
    {
        if (count == capacity)
        {
            flush();
        }
        final long entry = (long)count * CopyQueueDescriptor.ENTRY_LENGTH;
        entries.set(JAVA_LONG, entry + CopyQueueDescriptor.SRC_OFFSET, src);
        entries.set(JAVA_LONG, entry + CopyQueueDescriptor.DST_OFFSET, dst);
        entries.set(JAVA_LONG, entry + CopyQueueDescriptor.LENGTH_OFFSET, length);
        count++;
    }

    /** Executes every queued copy. */
    public void flush()
    {
        if (count > 0)
        {
            engine.copyBatch(entries, count);
            count = 0;
        }
    }

    public int pending()
    {
        return count;
    }

    public CopyEngine engine()
    {
        return engine;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
