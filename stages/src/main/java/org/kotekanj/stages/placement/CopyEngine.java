package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

/**
 * Executes a batch of queued placement copies (see {@link CopyQueueDescriptor}) and fills. Two implementations
 * produce identical frames: {@link StreamingCopyEngine} (native non-temporal stores, one {@code sfence} per batch) and
 * {@link JavaCopyEngine} (the portable fallback).
 */
public interface CopyEngine
{
    /**
     * Copies the first {@code count} entries of {@code queue} (a heap or native segment in
     * {@link CopyQueueDescriptor} layout); all stores are visible when this returns.
     */
    void copyBatch(MemorySegment queue, int count);

    /**
     * Copies the first {@code count} entries of {@code queue} without waiting for their stores to become visible:
     * they are, at the latest, when the next {@link #copyBatch} returns. Lets the copies of the first packets of a
     * batch drain to memory while the rest are placed.
     */
    void copyAhead(MemorySegment queue, int count);

    /** {@code streaming} or {@code java}, for logs and {@code /status}. */
    String name();

    /** The streaming engine where the native helper loads, else the Java one. */
    static CopyEngine best()
    {
        final CopyEngine streaming = StreamingCopyEngine.load();
        return streaming != null ? streaming : new JavaCopyEngine();
    }
}
