package org.kotekanj.sim.answers;

import org.kotekanj.correlator.ProductIndex;
import org.kotekanj.sim.signal.WalshSignal;

/**
 * Exact visibilities of the {@link WalshSignal} in {@code O(N²)}: the closed form {@code B·L·(c_a·conj(c_b) +
 * |d_a|²·δ_ab)} over the whole aligned blocks of {@code L} samples inside the span, plus brute force over the
 * partial blocks at either end (at most {@code 2L} samples, none when the span follows the alignment rule).
 */
final class WalshVisibilities
{
    private WalshVisibilities()
    {
    }

    static ExpectedVisibility expected(final WalshSignal signal, final int numInputs, final int freqId,
        final long firstSeq, final long count)
    {
        final int nprod = (int)ProductIndex.count(numInputs);
        final long[] real = new long[nprod];
        final long[] imag = new long[nprod];
        final long block = WalshSignal.blockLength(numInputs);
        final long alignedStart = Math.ceilDiv(firstSeq, block) * block;
        final long alignedEnd = Math.floorDiv(firstSeq + count, block) * block;
        if (alignedStart >= alignedEnd)
        {
            new BruteForceCorrelator(numInputs).add(signal, freqId, firstSeq, count, real, imag);
            return new ExpectedVisibility(real, imag, null);
        }
        addBlocks(signal, numInputs, freqId, alignedEnd - alignedStart, real, imag);
        final BruteForceCorrelator remainder = new BruteForceCorrelator(numInputs);
        remainder.add(signal, freqId, firstSeq, alignedStart - firstSeq, real, imag);
        remainder.add(signal, freqId, alignedEnd, firstSeq + count - alignedEnd, real, imag);
        return new ExpectedVisibility(real, imag, null);
    }

    /** {@code samples} (whole blocks) times {@code c_a·conj(c_b) + |d_a|²·δ_ab}. */
    private static void addBlocks(final WalshSignal signal, final int numInputs, final int freqId, final long samples,
        final long[] real, final long[] imag)
    {
        final int[] cr = new int[numInputs];
        final int[] ci = new int[numInputs];
        for (int i = 0; i < numInputs; i++)
        {
            cr[i] = signal.offsetReal(freqId, i);
            ci[i] = signal.offsetImag(freqId, i);
        }
        int p = 0;
        for (int a = 0; a < numInputs; a++)
        {
            for (int b = a; b < numInputs; b++)
            {
                long re = cr[a] * cr[b] + ci[a] * ci[b];
                if (a == b)
                {
                    final int dr = signal.codeReal(freqId, a);
                    final int di = signal.codeImag(freqId, a);
                    re += dr * dr + di * di;
                }
                real[p] += samples * re;
                imag[p] += samples * (ci[a] * cr[b] - cr[a] * ci[b]);
                p++;
            }
        }
    }
}
