package org.kotekanj.sim.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NormalDistributionTest
{
    @Test
    void shouldMatchReferenceValuesOfErfc()
    {
        // values from Abramowitz and Stegun / high-precision tables
        assertEquals(1.0, NormalDistribution.erfc(0.0), 1e-16);
        assertEquals(0.157299207050285130658, NormalDistribution.erfc(1.0), 1e-15);
        assertEquals(1.842700792949714869342, NormalDistribution.erfc(-1.0), 1e-15);
        assertEquals(4.677734981047265838e-3, NormalDistribution.erfc(2.0), 1e-13 * 4.68e-3);
        assertEquals(2.209049699858544137e-5, NormalDistribution.erfc(3.0), 1e-12 * 2.21e-5);
        assertEquals(1.537459794428034850e-12, NormalDistribution.erfc(5.0), 1e-12 * 1.54e-12);
    }

    @Test
    void shouldInvertTheUpperTail()
    {
        for (final double q : new double[] {0.5, 0.3, 0.1, 1e-3, 1e-6, 1e-10, 2.3e-10})
        {
            final double z = NormalDistribution.inverseUpperTail(q);
            assertEquals(q, NormalDistribution.upperTail(z), 1e-13 * q, "q = " + q);
        }
        assertEquals(1.959963984540054, NormalDistribution.inverseUpperTail(0.025), 1e-12);
    }
}
