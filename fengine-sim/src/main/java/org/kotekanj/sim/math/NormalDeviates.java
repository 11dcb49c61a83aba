package org.kotekanj.sim.math;

/**
 * Standard normal deviates from 32 random bits by inverse-CDF table lookup: the Gaussian signal needs a deviate per
 * byte and {@code log}/{@code sin} per byte (Box-Muller) would cost ten times the rest of the signal.
 *
 * <p>The top bit gives the sign; the other 31 bits a probability {@code p} of the half-normal, whose quantile is
 * interpolated linearly in a table of {@value #BINS} equal-probability bins. The interpolation error is below 1e-9
 * in the bulk and the outermost {@value #EXACT_BINS} bins (|z| above 3.3, one deviate in 700) are computed exactly, so
 * the deviates follow the normal distribution far more closely than any run can resolve. Deviates reach |z| of about
 * 6.1 (probability 2^-32).
 */
public final class NormalDeviates
{
    static final int BINS = 4096;
    static final int EXACT_BINS = 4;
    private static final int FRACTION_BITS = 31 - 12;
    private static final double FRACTION_SCALE = 1.0 / (1 << FRACTION_BITS);
    private static final double[] QUANTILES = quantiles();

    private NormalDeviates()
    {
    }

    /** The deviate of 32 uniformly random bits. */
    public static double of(final int bits)
    {
        final int magnitude = bits & 0x7FFF_FFFF;
        final int bin = magnitude >>> FRACTION_BITS;
        final double z;
        if (bin < BINS - EXACT_BINS)
        {
            final double fraction = ((magnitude & ((1 << FRACTION_BITS) - 1)) + 0.5) * FRACTION_SCALE;
            z = QUANTILES[bin] + fraction * (QUANTILES[bin + 1] - QUANTILES[bin]);
        }
        else
        {
            z = NormalDistribution.inverseUpperTail(((double)(1L << 31) - magnitude - 0.5) / (double)(1L << 32));
        }
        return bits < 0 ? -z : z;
    }

    /** {@code QUANTILES[k]}: the |z| below which a fraction k / BINS of the half-normal lies. */
    private static double[] quantiles()
    {
        final double[] table = new double[BINS + 1];
        for (int k = 1; k < BINS; k++)
        {
            table[k] = NormalDistribution.inverseUpperTail((1.0 - (double)k / BINS) / 2.0);
        }
        table[BINS] = Double.POSITIVE_INFINITY;
        return table;
    }
}
