package org.kotekanj.sim.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalDeviatesTest
{
    @Test
    void shouldFollowTheNormalDistributionOverEvenlySpreadBits()
    {
        // A Weyl sequence covers the 32-bit space evenly, so the moments are those of the deviate mapping itself.
        final int count = 1 << 22;
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        long beyondTwo = 0;
        for (int n = 0; n < count; n++)
        {
            final double z = NormalDeviates.of(n * 0x9E37_79B9);
            sum += z;
            squares += z * z;
            fourth += z * z * z * z;
            beyondTwo += Math.abs(z) > 2 ? 1 : 0;
        }
        assertEquals(0.0, sum / count, 1e-4);
        assertEquals(1.0, squares / count, 1e-4);
        assertEquals(3.0, fourth / count, 2e-3);
        assertEquals(2 * NormalDistribution.upperTail(2), (double)beyondTwo / count, 1e-5);
    }

    @Test
    void shouldBeSymmetricAndMonotonicInTheMagnitudeBits()
    {
        double previous = -1;
        for (long m = 0; m < 1L << 31; m += (1 << 15) + 7)
        {
            final double z = NormalDeviates.of((int)m);
            assertEquals(-z, NormalDeviates.of((int)m | 0x8000_0000), 0.0);
            assertTrue(z > previous, "not increasing at " + m);
            previous = z;
        }
        assertTrue(NormalDeviates.of(0x7FFF_FFFF) > 6.0, "the largest deviate reaches the far tail");
    }
}
