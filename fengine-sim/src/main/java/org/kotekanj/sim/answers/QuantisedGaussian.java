package org.kotekanj.sim.answers;

import org.kotekanj.sim.math.BivariateNormal;
import org.kotekanj.sim.math.NormalDistribution;

/**
 * Exact moments of zero-mean Gaussians after the F-engine's quantiser {@code Q(x) = clamp(round(x), -7, 7)}: what
 * turns the covariance of the analogue signal into the expected value of an integer visibility.
 *
 * <p>Writing {@code Q(U) = -7 + Σ_k [U > t_k]} over the 14 thresholds {@code t_k = ±0.5, ..., ±6.5}, and since
 * {@code E Q = 0},
 *
 * <pre>
 *   E[Q(U)·Q(V)] = Σ_k Σ_l ( P(U > t_k, V > t_l) - P(U > t_k)·P(V > t_l) )
 * </pre>
 *
 * a sum of bivariate normal orthant probabilities ({@link BivariateNormal}), exact to about 1e-13.
 */
final class QuantisedGaussian
{
    private static final int LEVELS = 7;
    private static final double[] THRESHOLDS = thresholds();

    private QuantisedGaussian()
    {
    }

    /** {@code E[Q(U)·Q(V)]} for zero-mean normals: variances {@code varU}, {@code varV}, covariance {@code cov}. */
    static double crossMoment(final double varU, final double varV, final double cov)
    {
        if (varU == 0 || varV == 0 || cov == 0)
        {
            return 0;
        }
        final double sigmaU = Math.sqrt(varU);
        final double sigmaV = Math.sqrt(varV);
        final double rho = Math.max(-1.0, Math.min(1.0, cov / (sigmaU * sigmaV)));
        final double[] tailU = tails(sigmaU);
        final double[] tailV = tails(sigmaV);
        double sum = 0;
        for (int k = 0; k < THRESHOLDS.length; k++)
        {
            for (int l = 0; l < THRESHOLDS.length; l++)
            {
                sum += BivariateNormal.upperOrthant(THRESHOLDS[k] / sigmaU, THRESHOLDS[l] / sigmaV, rho) -
                    tailU[k] * tailV[l];
            }
        }
        return sum;
    }

    /** {@code E[Q(U)²]}. */
    static double secondMoment(final double variance)
    {
        return evenMoment(variance, 2);
    }

    /** {@code E[Q(U)⁴]}, which bounds the variance of a product of quantised samples. */
    static double fourthMoment(final double variance)
    {
        return evenMoment(variance, 4);
    }

    /** {@code 2 Σ_{q=1..7} q^power P(Q = q)}, with {@code P(Q = q)} from upper tails to keep precision. */
    private static double evenMoment(final double variance, final int power)
    {
        if (variance == 0)
        {
            return 0;
        }
        final double sigma = Math.sqrt(variance);
        double sum = 0;
        for (int q = 1; q <= LEVELS; q++)
        {
            final double above = NormalDistribution.upperTail((q - 0.5) / sigma);
            final double probability = q == LEVELS ? above : above - NormalDistribution.upperTail((q + 0.5) / sigma);
            sum += Math.pow(q, power) * probability;
        }
        return 2 * sum;
    }

    private static double[] tails(final double sigma)
    {
        final double[] tails = new double[THRESHOLDS.length];
        for (int k = 0; k < tails.length; k++)
        {
            tails[k] = NormalDistribution.upperTail(THRESHOLDS[k] / sigma);
        }
        return tails;
    }

    private static double[] thresholds()
    {
        final double[] thresholds = new double[2 * LEVELS];
        for (int k = 0; k < thresholds.length; k++)
        {
            thresholds[k] = k - LEVELS + 0.5;
        }
        return thresholds;
    }
}
