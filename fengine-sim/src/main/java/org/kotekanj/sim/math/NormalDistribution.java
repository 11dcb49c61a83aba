package org.kotekanj.sim.math;

/**
 * The standard normal distribution to near double precision (relative error below 1e-12 everywhere, including the
 * far tails), which the JDK does not provide. The Gaussian signal draws from it and its expected visibilities are
 * computed from it, so both sides of a check rest on the same, accurate definition.
 */
public final class NormalDistribution
{
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** Below this the series for erf is accurate; above it the continued fraction for erfc converges quickly. */
    private static final double SERIES_LIMIT = 2.0;
    private static final int CONTINUED_FRACTION_DEPTH = 80;

    private NormalDistribution()
    {
    }

    /** The complementary error function. */
    public static double erfc(final double x)
    {
        if (x < 0)
        {
            return 2.0 - erfc(-x);
        }
        if (x < SERIES_LIMIT)
        {
            // erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!: every term positive, so no cancellation.
            double term = x;
            double sum = x;
            for (int n = 0; term > 1e-17 * sum; n++)
            {
                term *= 2.0 * x * x / (2 * n + 3);
                sum += term;
            }
            return 1.0 - 2.0 / SQRT_PI * Math.exp(-x * x) * sum;
        }
        // erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
        double f = x;
        for (int k = CONTINUED_FRACTION_DEPTH; k > 0; k--)
        {
            f = x + 0.5 * k / f;
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** {@code P(Z <= z)}. */
    public static double cdf(final double z)
    {
        return 0.5 * erfc(-z / SQRT_2);
    }

    /** {@code P(Z > z)}, accurate in the upper tail where {@code 1 - cdf(z)} would cancel. */
    public static double upperTail(final double z)
    {
        return 0.5 * erfc(z / SQRT_2);
    }

    public static double density(final double z)
    {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /**
     * The {@code z >= 0} with {@code P(Z > z) = q}, for {@code 0 < q <= 0.5}: a rational first guess (Abramowitz and
     * Stegun 26.2.23) polished by Newton steps on the accurate tail.
     */
    public static double inverseUpperTail(final double q)
    {
        if (!(q > 0.0 && q <= 0.5))
        {
            throw new IllegalArgumentException("upper tail probability must be in (0, 0.5]: " + q);
        }
        final double t = Math.sqrt(-2.0 * Math.log(q));
        double z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
            (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
        for (int i = 0; i < 6; i++)
        {
            final double step = (upperTail(z) - q) / density(z);
            z += step;
            if (Math.abs(step) <= 1e-15 * Math.max(1.0, z))
            {
                break;
            }
        }
        return Math.max(z, 0.0);
    }
}
