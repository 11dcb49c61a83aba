package org.kotekanj.sim.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BivariateNormalTest
{
    @Test
    void shouldMatchTheClosedFormAtTheOrigin()
    {
        for (final double r : new double[] {-0.99, -0.9, -0.5, -0.1, 0.0, 0.2, 0.74, 0.8, 0.93, 0.999})
        {
            assertEquals(0.25 + Math.asin(r) / (2 * Math.PI), BivariateNormal.upperOrthant(0, 0, r), 1e-14);
        }
    }

    @Test
    void shouldMatchOneDimensionalQuadrature()
    {
        final double[][] cases = {{0.3, -1.2, 0.2}, {-0.5, 0.7, -0.6}, {1.5, 1.1, 0.95}, {-2, 1, -0.97},
            {2.5, -2.5, 0.8}, {-1, -1, -0.99}, {1.2, 0.4, 0.5}, {-0.3, 2.2, 0.35}};
        for (final double[] c : cases)
        {
            assertEquals(quadrature(c[0], c[1], c[2]), BivariateNormal.upperOrthant(c[0], c[1], c[2]), 1e-9,
                "h, k, r = " + c[0] + ", " + c[1] + ", " + c[2]);
        }
    }

    @Test
    void shouldReduceToTheMarginalsAtTheLimits()
    {
        assertEquals(NormalDistribution.upperTail(0.7) * NormalDistribution.upperTail(-0.2),
            BivariateNormal.upperOrthant(0.7, -0.2, 0.0), 1e-16);
        assertEquals(NormalDistribution.upperTail(0.7), BivariateNormal.upperOrthant(0.7, -0.2, 1.0), 1e-15);
        assertEquals(NormalDistribution.cdf(0.2) - NormalDistribution.cdf(-0.7),
            BivariateNormal.upperOrthant(-0.7, -0.2, -1.0), 1e-15);
    }

    /** P(X > h, Y > k) = integral over x > h of phi(x) P(Y > k | x), by the midpoint rule. */
    private static double quadrature(final double h, final double k, final double r)
    {
        final int steps = 200_000;
        final double s = Math.sqrt(1 - r * r);
        final double top = Math.max(h, 0) + 12;
        final double dx = (top - h) / steps;
        double sum = 0;
        for (int i = 0; i < steps; i++)
        {
            final double x = h + (i + 0.5) * dx;
            sum += NormalDistribution.density(x) * NormalDistribution.upperTail((k - r * x) / s);
        }
        return sum * dx;
    }
}
