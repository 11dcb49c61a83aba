package org.kotekanj.sim.signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSignalTest
{
    private static final int SAMPLES = 1 << 18;

    @Test
    void shouldBeUniformOnMinusSevenToSevenInBothParts()
    {
        final RandomSignal signal = new RandomSignal(11);
        final long[] real = new long[15];
        final long[] imag = new long[15];
        for (int n = 0; n < SAMPLES; n++)
        {
            final byte sample = signal.sample(n / 64, 2, n % 64);
            real[SampleByte.real(sample) + 7]++;
            imag[SampleByte.imag(sample) + 7]++;
        }
        // chi-square with 14 degrees of freedom: 40 is beyond the 0.9997 quantile.
        assertTrue(chiSquare(real) < 40, "real parts not uniform: chi2 = " + chiSquare(real));
        assertTrue(chiSquare(imag) < 40, "imaginary parts not uniform: chi2 = " + chiSquare(imag));
    }

    @Test
    void shouldBeUncorrelatedBetweenNeighbouringInputsAndSamples()
    {
        final RandomSignal signal = new RandomSignal(4);
        double inputs = 0;
        double times = 0;
        for (int n = 0; n < SAMPLES; n++)
        {
            final long seq = n / 32;
            final int input = n % 32;
            final int here = SampleByte.real(signal.sample(seq, 0, input));
            inputs += here * SampleByte.real(signal.sample(seq, 0, input + 1));
            times += here * SampleByte.real(signal.sample(seq + 1, 0, input));
        }
        // each product has variance (56/3)^2 ~ 348; 6 sigma of the mean of 2^18 is 0.22
        assertTrue(Math.abs(inputs / SAMPLES) < 0.22, "inputs correlated: " + inputs / SAMPLES);
        assertTrue(Math.abs(times / SAMPLES) < 0.22, "samples correlated: " + times / SAMPLES);
    }

    @Test
    void shouldDependOnTheSeed()
    {
        assertEquals(new RandomSignal(1).sample(5, 6, 7), new RandomSignal(1).sample(5, 6, 7));
        int same = 0;
        for (int input = 0; input < 1000; input++)
        {
            same += new RandomSignal(1).sample(5, 6, input) == new RandomSignal(2).sample(5, 6, input) ? 1 : 0;
        }
        assertNotEquals(1000, same);
        assertTrue(same < 30, "two seeds agree on " + same + " of 1000 samples; chance is about 4");
    }

    private static double chiSquare(final long[] counts)
    {
        final double expected = (double)SAMPLES / counts.length;
        double sum = 0;
        for (final long count : counts)
        {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }
}
