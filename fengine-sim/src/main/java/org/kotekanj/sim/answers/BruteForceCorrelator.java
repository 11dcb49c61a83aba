package org.kotekanj.sim.answers;

import java.lang.foreign.MemorySegment;

import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * Correlates the samples of a pure signal one time sample at a time, exactly as the contract defines a visibility:
 * {@code re += ra·rb + ia·ib}, {@code im += ia·rb - ra·ib} for every product {@code a <= b}. It costs
 * {@code N(N+1)/2} multiply-adds per sample, so the calculator uses it only where no closed form exists or for
 * short remainders; it is also the reference the closed forms are tested against.
 */
final class BruteForceCorrelator
{
    private final int numInputs;
    private final byte[] row;
    private final MemorySegment rowSegment;
    private final int[] real;
    private final int[] imag;

    BruteForceCorrelator(final int numInputs)
    {
        this.numInputs = numInputs;
        this.row = new byte[numInputs];
        this.rowSegment = MemorySegment.ofArray(row);
        this.real = new int[numInputs];
        this.imag = new int[numInputs];
    }

    /** Adds the products of samples {@code [firstSeq, firstSeq + count)} to {@code sumReal} and {@code sumImag}. */
    void add(final SampleSignal signal, final int freqId, final long firstSeq, final long count, final long[] sumReal,
        final long[] sumImag)
    {
        for (long seq = firstSeq; seq < firstSeq + count; seq++)
        {
            signal.fill(seq, freqId, 0, numInputs, rowSegment, 0);
            for (int i = 0; i < numInputs; i++)
            {
                real[i] = SampleByte.real(row[i]);
                imag[i] = SampleByte.imag(row[i]);
            }
            int p = 0;
            for (int a = 0; a < numInputs; a++)
            {
                final int ra = real[a];
                final int ia = imag[a];
                for (int b = a; b < numInputs; b++)
                {
                    sumReal[p] += ra * real[b] + ia * imag[b];
                    sumImag[p] += ia * real[b] - ra * imag[b];
                    p++;
                }
            }
        }
    }
}
