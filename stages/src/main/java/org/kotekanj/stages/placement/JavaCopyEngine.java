package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The portable copy path: {@link MemorySegment#copy} per queued run. Every address in the queue was bounds-checked
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
            final int length = (int)queue.get(JAVA_LONG, entry + CopyQueueDescriptor.LENGTH_OFFSET);
            MemorySegment.copy(ALL, src, ALL, dst, length);
        }
    }

    @Override
    public String name()
    {
        return "java";
    }
}
