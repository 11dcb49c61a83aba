package org.kotekanj.correlator.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The visibility spec's sums over {@code [freq][time][paddedInputs]} byte frames for the CUDA tests: whole frames
 * through the correlator tests' CPU oracle, one product at a time for spot checks, and the nibble values for the
 * O(N·T) identities.
 */
final class FrameSums
{
    private FrameSums()
    {
    }

    static int re(final byte sample)
    {
        return ((sample >> 4) & 15) - 8;
    }

    static int im(final byte sample)
    {
        return (sample & 15) - 8;
    }

    /**
     * Adds the frame's sums into {@code vis} ({@code [freq][prod][2]}), computed by the CPU oracle of the correlator
     * tests ({@link org.kotekanj.correlator.ScalarCorrelator}) one frequency at a time.
     */
    static void accumulate(final byte[] frame, final int numFreqs, final int samplesPerFrame, final int numInputs,
        final int paddedInputs, final int first, final int count, final long[] vis)
    {
        final int numProducts = numInputs * (numInputs + 1) / 2;
        final MemorySegment samples = MemorySegment.ofArray(frame);
        for (int f = 0; f < numFreqs; f++)
        {
            final long[][] sums = org.kotekanj.correlator.ScalarCorrelator.correlate(
                samples.asSlice(((long)f * samplesPerFrame + first) * paddedInputs), paddedInputs, numInputs, count);
            for (int p = 0; p < numProducts; p++)
            {
                vis[2 * (f * numProducts + p)] += sums[p][0];
                vis[2 * (f * numProducts + p) + 1] += sums[p][1];
            }
        }
    }

    /** One product's (re, im) over samples {@code [first, first + count)} of frequency {@code f}. */
    static long[] product(final byte[] frame, final int f, final int samplesPerFrame, final int paddedInputs,
        final int a, final int b, final int first, final int count)
    {
        long re = 0;
        long im = 0;
        for (int t = first; t < first + count; t++)
        {
            final int row = (f * samplesPerFrame + t) * paddedInputs;
            final int ra = re(frame[row + a]);
            final int ia = im(frame[row + a]);
            final int rb = re(frame[row + b]);
            final int ib = im(frame[row + b]);
            re += ra * rb + ia * ib;
            im += ia * rb - ra * ib;
        }
        return new long[] {re, im};
    }
}
