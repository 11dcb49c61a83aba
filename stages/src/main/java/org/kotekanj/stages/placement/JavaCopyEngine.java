package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The portable copy path: {@link MemorySegment#copy} per run of each queued entry, in the same order as the native
 * helper. Every address in the queue was bounds-checked
 * by the placement against its frame before it was queued.
 */
public final class JavaCopyEngine implements CopyEngine
{
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Override
    public void copyBatch(final MemorySegment queue, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long entry = (long)i * CopyQueueDescriptor.ENTRY_LENGTH;
            final long src = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.SRC_OFFSET);
            final long dst = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.DST_OFFSET);
            final long length = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.LENGTH_OFFSET);
            final long srcStride = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.SRC_STRIDE_OFFSET);
            final long runs = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.RUNS_OFFSET);
            final long runStride = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.RUN_STRIDE_OFFSET);
            final long rows = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.ROWS_OFFSET);
            final long rowStride = queue.get(JAVA_LONG, entry + CopyQueueDescriptor.ROW_STRIDE_OFFSET);
            long from = src;
            for (long r = 0; r < rows; r++)
            {
                long to = dst + r * rowStride;
                for (long k = 0; k < runs; k++)
                {
                    MemorySegment.copy(ALL, from, ALL, to, length);
                    from += srcStride;
                    to += runStride;
                }
            }
        }
    }

    /** Plain stores are ordered by the release that publishes a frame: the same as {@link #copyBatch}. */
    @Override
    public void copyAhead(final MemorySegment queue, final int count)
    {
        copyBatch(queue, count);
    }

    @Override
    public String name()
    {
        return "java";
    }
}
