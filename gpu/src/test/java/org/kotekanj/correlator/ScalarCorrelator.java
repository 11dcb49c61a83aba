package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The oracle: the contract's sums written as plainly as possible, one product and one sample at a time, so the fast
 * kernels can be checked against something obviously right.
 */
public final class ScalarCorrelator
{
    private ScalarCorrelator()
    {
    }

    /** {@code long[prod][re, im]} for samples {@code [0, numTime)} of rows {@code stride} bytes apart. */
    public static long[][] correlate(final MemorySegment samples, final long stride, final int numInputs, final int numTime)
    {
        final long[][] sums = new long[numInputs * (numInputs + 1) / 2][2];
        int prod = 0;
        for (int a = 0; a < numInputs; a++)
        {
            for (int b = a; b < numInputs; b++)
            {
                for (int t = 0; t < numTime; t++)
                {
                    final int xa = samples.get(JAVA_BYTE, t * stride + a) & 0xFF;
                    final int xb = samples.get(JAVA_BYTE, t * stride + b) & 0xFF;
                    final int ra = (xa >> 4) - 8;
                    final int ia = (xa & 15) - 8;
                    final int rb = (xb >> 4) - 8;
                    final int ib = (xb & 15) - 8;
                    sums[prod][0] += ra * rb + ia * ib;
                    sums[prod][1] += ia * rb - ra * ib;
                }
                prod++;
            }
        }
        return sums;
    }
}
