package org.kotekanj.correlator.cuda;

/**
 * The visibility spec's sums written out plainly, for tests: {@code re = Σ ra·rb + ia·ib, im = Σ ia·rb − ra·ib} over
 * samples {@code [first, first + count)} of a {@code [freq][time][paddedInputs]} frame, products row-major over the
 * upper triangle. Slow and obviously right; one product at a time for spot checks.
 */
final class ScalarCorrelator
{
    private ScalarCorrelator()
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

    /** Adds the frame's sums into {@code vis} ({@code [freq][prod][2]}). */
    static void accumulate(final byte[] frame, final int numFreqs, final int samplesPerFrame, final int numInputs,
        final int paddedInputs, final int first, final int count, final long[] vis)
    {
        final long numProducts = (long)numInputs * (numInputs + 1) / 2;
        final int[] r = new int[numInputs];
        final int[] i = new int[numInputs];
        final long[] sums = new long[(int)(2 * numProducts)];
        for (int f = 0; f < numFreqs; f++)
        {
            java.util.Arrays.fill(sums, 0);
            for (int t = first; t < first + count; t++)
            {
                final int row = (f * samplesPerFrame + t) * paddedInputs;
                for (int n = 0; n < numInputs; n++)
                {
                    r[n] = re(frame[row + n]);
                    i[n] = im(frame[row + n]);
                }
                int prod = 0;
                for (int a = 0; a < numInputs; a++)
                {
                    final int ra = r[a];
                    final int ia = i[a];
                    for (int b = a; b < numInputs; b++, prod++)
                    {
                        sums[2 * prod] += ra * r[b] + ia * i[b];
                        sums[2 * prod + 1] += ia * r[b] - ra * i[b];
                    }
                }
            }
            for (int p = 0; p < sums.length; p++)
            {
                vis[(int)(2 * numProducts * f) + p] += sums[p];
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
