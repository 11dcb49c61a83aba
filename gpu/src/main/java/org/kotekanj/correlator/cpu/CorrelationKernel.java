package org.kotekanj.correlator.cpu;

import java.lang.foreign.MemorySegment;

/**
 * One way of computing the upper-triangle sums of one frequency on a CPU core: the Vector API kernel
 * ({@link VectorCorrelationKernel}) or the native AVX-512 VNNI / AVX2 helper ({@link NativeCorrelationKernel}). Both
 * produce identical sums; the thread pool and the stage do not know which one runs.
 */
public interface CorrelationKernel
{
    /** Kernel and instruction set, e.g. {@code native avx512-vnni} or {@code vector 512-bit}: for logs and files. */
    String name();

    /** A worker with its own scratch memory; each thread uses its own. */
    Worker newWorker(int numInputs);

    /** Per-thread state of a kernel: scratch memory sized for one input count. */
    interface Worker extends AutoCloseable
    {
        /**
         * Rows of inputs are processed in blocks; threads split the blocks ({@code firstBlock, firstBlock + step,
         * ...}) so they never write the same sums.
         */
        int numBlocks();

        /**
         * Adds {@code numTime} time samples of one frequency to its sums. Offsets rather than slices, so a frame costs
         * no allocation.
         *
         * @param samples       holds the samples: at {@code offset} the first time sample's row, {@code numInputs}
         *                      bytes of 4+4-bit samples, then padding.
         * @param stride        bytes from one time sample's row to the next (the padded input count).
         * @param sums          holds at {@code sumsOffset} the int64 {@code [N(N+1)/2][re, im]} of this frequency,
         *                      added to.
         * @param firstBlock    the first row block this call computes.
         * @param blockStep     the distance between the row blocks this call computes.
         */
        void accumulate(MemorySegment samples, long offset, long stride, int numTime, MemorySegment sums,
            long sumsOffset, int firstBlock, int blockStep);

        @Override
        void close();
    }
}
