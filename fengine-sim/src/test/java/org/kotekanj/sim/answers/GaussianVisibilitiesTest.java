package org.kotekanj.sim.answers;

import org.junit.jupiter.api.Test;
import org.kotekanj.correlator.ProductIndex;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.sim.signal.GaussianSignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianVisibilitiesTest
{
    private static final int INPUTS = 5;
    private static final long SAMPLES = 1 << 20;

    @Test
    void shouldPredictALongRunWithinItsTolerance()
    {
        final GaussianSignal signal = new GaussianSignal(21, 2.0, 1.5, new double[] {1.0, 0.5, 2.0}, 1.3,
            PacketGeometry.chime());
        final VisibilityCalculator analytic = new VisibilityCalculator(signal, INPUTS, false);
        final VisibilityCalculator realised = new VisibilityCalculator(signal, INPUTS, true);
        for (final int freqId : new int[] {0, 611})
        {
            final ExpectedVisibility expected = analytic.expected(freqId, 1L << 30, SAMPLES);
            final ExpectedVisibility run = realised.expected(freqId, 1L << 30, SAMPLES);
            assertFalse(expected.isExact());
            assertTrue(run.isExact());
            double worst = 0;
            for (int p = 0; p < ProductIndex.count(INPUTS); p++)
            {
                assertTrue(expected.accepts(p, run.real()[p], run.imag()[p]), "freq " + freqId + " product " + p +
                    ": expected " + expected.real()[p] + " " + expected.imag()[p] + " ± " + expected.tolerance()[p] +
                    ", run " + run.real()[p] + " " + run.imag()[p]);
                worst = Math.max(worst, Math.abs(run.real()[p] - expected.real()[p]) / expected.tolerance()[p]);
            }
            assertTrue(worst > 0, "a finite run differs from its mean somewhere");
        }
    }

    @Test
    void shouldRejectTheCovarianceOfTheUnquantisedSignal()
    {
        final GaussianSignal signal = new GaussianSignal(4, 2.0, 1.5, new double[] {1.0}, 0.0, PacketGeometry.chime());
        final ExpectedVisibility expected = new VisibilityCalculator(signal, 2, false).expected(0, 0, SAMPLES);
        final long analogue = Math.round(SAMPLES * (2.0 * 2.0 + 1.5 * 1.5));
        assertFalse(expected.accepts(0, analogue, 0), "quantisation adds ~1/6 per sample to an auto: Sheppard");
        assertEquals(SAMPLES * (2.0 * 2.0 + 1.5 * 1.5 + 1.0 / 6), expected.real()[0], 1e-3 * SAMPLES);
    }

    @Test
    void shouldComputeQuantiserMomentsExactly()
    {
        assertEquals(0.0, QuantisedGaussian.secondMoment(0.0));
        // a tiny variance almost never leaves 0: E Q^2 = P(|U| > 0.5) = 2 x upper tail at 5 sigma, for sigma 0.1
        assertEquals(5.733031437583878e-7, QuantisedGaussian.secondMoment(0.01), 1e-15);
        final double variance = 2.5;
        // rho rounds to 1 - 1e-16, which is truly off 1 by O(sqrt(1 - rho)) ~ 1e-8
        assertEquals(QuantisedGaussian.secondMoment(variance),
            QuantisedGaussian.crossMoment(variance, variance, variance), 1e-7);
        assertEquals(-QuantisedGaussian.crossMoment(1.0, 3.0, 0.7), QuantisedGaussian.crossMoment(1.0, 3.0, -0.7),
            1e-15);
        assertEquals(0.0, QuantisedGaussian.crossMoment(1.0, 3.0, 0.0));
        // clipping at 7 matters for a wide distribution: E Q^2 < 49 however large the variance
        assertTrue(QuantisedGaussian.secondMoment(1e4) < 49);
    }
}
