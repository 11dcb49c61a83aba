package org.kotekanj.sim.answers;

import java.util.HashMap;
import java.util.Map;

import org.kotekanj.correlator.ProductIndex;
import org.kotekanj.sim.signal.GaussianSignal;

/**
 * Expected visibilities of the {@link GaussianSignal}: the mean over infinitely many samples, exact for the
 * quantiser ({@link QuantisedGaussian}), with a tolerance for a finite run.
 *
 * <p>Inputs are circular complex Gaussians before quantisation with {@code C_ab = g_a g_b e^{j(phi_a - phi_b)}
 * sky² + δ_ab noise²}; each real and imaginary part has variance {@code C_aa / 2}, and
 * {@code Cov(Re x_a, Re x_b) = Cov(Im x_a, Im x_b) = Re C_ab / 2}, {@code Cov(Im x_a, Re x_b) = -Cov(Re x_a, Im x_b)
 * = Im C_ab / 2}. So over {@code N} samples
 *
 * <pre>
 *   E re V_ab = 2N · E[Q(U)Q(V)] with Cov(U, V) = Re C_ab / 2        E im V_ab = 2N · E[Q(U)Q(V)] with Im C_ab / 2
 * </pre>
 *
 * <p>Tolerance: samples are independent, so each part of {@code V_ab} is a sum of {@code N} independent terms
 * whose standard deviation is at most {@code 2·(E[Q_a⁴]·E[Q_b⁴])^{1/4}} (Cauchy-Schwarz), and the tolerance is
 * {@value #SIGMAS} times {@code √N} times that, plus 0.5 for rounding the mean to an integer. A correct run fails it
 * with a probability below 1e-8 per product and part.
 *
 * <p>Moments are cached by (variances, covariance), which the products share (a CHIME-sized array has at most
 * 4096 phase differences per gain pair), so the cost is dominated by {@code O(N²)} look-ups, not by the
 * 196 orthant probabilities of each distinct moment.
 */
final class GaussianVisibilities
{
    /** Standard deviations of the tolerance. */
    static final double SIGMAS = 6.0;

    private final GaussianSignal signal;
    private final int numInputs;
    private final Map<Moment, Double> crossMoments = new HashMap<>();

    GaussianVisibilities(final GaussianSignal signal, final int numInputs)
    {
        this.signal = signal;
        this.numInputs = numInputs;
    }

    ExpectedVisibility expected(final int freqId, final long samples)
    {
        final int nprod = (int)ProductIndex.count(numInputs);
        final long[] real = new long[nprod];
        final long[] imag = new long[nprod];
        final double[] tolerance = new double[nprod];
        final double sky = signal.skySigma() * signal.skySigma();
        final double noise = signal.noiseSigma() * signal.noiseSigma();
        final double[] variance = new double[numInputs];
        final double[] spread = new double[numInputs];
        final int[] phase = new int[numInputs];
        for (int i = 0; i < numInputs; i++)
        {
            final double gain = signal.gain(i);
            variance[i] = (gain * gain * sky + noise) / 2;
            spread[i] = Math.pow(QuantisedGaussian.fourthMoment(variance[i]), 0.25);
            phase[i] = signal.phaseIndex(freqId, i);
        }
        final double root = Math.sqrt((double)samples);
        int p = 0;
        for (int a = 0; a < numInputs; a++)
        {
            for (int b = a; b < numInputs; b++)
            {
                if (a == b)
                {
                    real[p] = Math.round(2.0 * samples * QuantisedGaussian.secondMoment(variance[a]));
                }
                else
                {
                    final double amplitude = signal.gain(a) * signal.gain(b) * sky / 2;
                    final int difference = phase[a] - phase[b];
                    real[p] = Math.round(2.0 * samples *
                        cross(variance[a], variance[b], amplitude * GaussianSignal.cos(difference)));
                    imag[p] = Math.round(2.0 * samples *
                        cross(variance[a], variance[b], amplitude * GaussianSignal.sin(difference)));
                }
                tolerance[p] = SIGMAS * root * 2 * spread[a] * spread[b] + 0.5;
                p++;
            }
        }
        return new ExpectedVisibility(real, imag, tolerance);
    }

    /** Cached {@code E[Q(U)Q(V)]}, using its symmetries: odd in the covariance, symmetric in the variances. */
    private double cross(final double varU, final double varV, final double cov)
    {
        if (cov == 0)
        {
            return 0;
        }
        final Moment key = new Moment(Math.min(varU, varV), Math.max(varU, varV), Math.abs(cov));
        final double value = crossMoments.computeIfAbsent(key,
            k -> QuantisedGaussian.crossMoment(k.varU(), k.varV(), k.cov()));
        return cov < 0 ? -value : value;
    }

    private record Moment(double varU, double varV, double cov)
    {
    }
}
