package org.kotekanj.sim.signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalshSignalTest
{
    @Test
    void shouldUseTheSmallestPowerOfTwoAboveTheInputCountAsBlockLength()
    {
        assertEquals(2, WalshSignal.blockLength(1));
        assertEquals(32, WalshSignal.blockLength(16));
        assertEquals(32, WalshSignal.blockLength(31));
        assertEquals(4096, WalshSignal.blockLength(2048));
    }

    @Test
    void shouldCarryOffsetPlusSignedCode()
    {
        final WalshSignal signal = new WalshSignal(3, 2, 5);
        for (int input = 0; input < 300; input++)
        {
            final int freqId = input % 5;
            assertTrue(Math.abs(signal.offsetReal(freqId, input)) <= 2);
            assertTrue(Math.abs(signal.offsetImag(freqId, input)) <= 2);
            assertTrue(signal.codeReal(freqId, input) != 0 && Math.abs(signal.codeReal(freqId, input)) <= 5);
            for (long seq = 0; seq < 40; seq += 13)
            {
                final int h = WalshSignal.codeSign(seq, input);
                final byte sample = signal.sample(seq, freqId, input);
                assertEquals(signal.offsetReal(freqId, input) + h * signal.codeReal(freqId, input),
                    SampleByte.real(sample));
                assertEquals(signal.offsetImag(freqId, input) + h * signal.codeImag(freqId, input),
                    SampleByte.imag(sample));
            }
        }
    }

    @Test
    void shouldHaveOrthogonalZeroMeanCodesOverAnAlignedBlock()
    {
        final int inputs = 20;
        final long block = WalshSignal.blockLength(inputs);
        for (int a = 0; a < inputs; a++)
        {
            long mean = 0;
            for (int b = 0; b < inputs; b++)
            {
                long dot = 0;
                for (long t = 3 * block; t < 4 * block; t++)
                {
                    dot += WalshSignal.codeSign(t, a) * WalshSignal.codeSign(t, b);
                }
                assertEquals(a == b ? block : 0, dot, "codes " + a + ", " + b);
            }
            for (long t = 5 * block; t < 6 * block; t++)
            {
                mean += WalshSignal.codeSign(t, a);
            }
            assertEquals(0, mean, "code " + a + " over an aligned block");
        }
    }

    @Test
    void shouldRotateTheTablePerFrequency()
    {
        final WalshSignal signal = new WalshSignal(1, 3, 4);
        int same = 0;
        for (int input = 0; input < 256; input++)
        {
            same += signal.sample(0, 0, input) == signal.sample(0, 1, input) ? 1 : 0;
        }
        assertNotEquals(256, same, "two frequencies carry the same offsets and codes");
    }

    @Test
    void shouldRejectAmplitudesThatWouldClip()
    {
        assertThrows(IllegalArgumentException.class, () -> new WalshSignal(1, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new WalshSignal(1, 3, 0));
    }
}
