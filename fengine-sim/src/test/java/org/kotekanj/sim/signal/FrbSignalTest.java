package org.kotekanj.sim.signal;

import org.junit.jupiter.api.Test;
import org.kotekanj.fengine.PacketGeometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrbSignalTest
{
    private static final PacketGeometry CHIME = PacketGeometry.chime();

    @Test
    void shouldDelayLowerFrequenciesByTheColdPlasmaLaw()
    {
        final FrbPulse pulse = new FrbPulse(1_000_000, 100.0, 64, 3, 400.0, FrbPulse.K_DM, 2560);
        // 4.148808 ms GHz^2 x 100 x (0.8^-2 - 0.4^-2) = -1944.75375 ms
        assertEquals(-1_944_753_750L, pulse.delayNanos(800.0));
        assertEquals(0, pulse.delayNanos(400.0));
        assertEquals(1_000_000 + Math.floorDiv(-1_944_753_750L, 2560), pulse.startSeq(800.0));
        assertTrue(pulse.startSeq(CHIME.freqMhz(0)) < pulse.startSeq(CHIME.freqMhz(1023)),
            "higher frequencies arrive first");
    }

    @Test
    void shouldAddTheSamePulseToEveryInputInsideTheWindowOnly()
    {
        final FrbPulse pulse = new FrbPulse(500_000, 30.0, 40, 2, 400.0, FrbPulse.K_DM, 2560);
        final ConstSignal base = new ConstSignal(1, -1);
        final FrbSignal signal = new FrbSignal(base, pulse, CHIME, 9);
        final int freqId = 700;
        final long start = pulse.startSeq(CHIME.freqMhz(freqId));
        assertTrue(signal.overlaps(freqId, start, 1) && signal.overlaps(freqId, start + 39, 1));
        assertFalse(signal.overlaps(freqId, start - 1, 1) || signal.overlaps(freqId, start + 40, 1));
        assertEquals(base.sample(start - 1, freqId, 0), signal.sample(start - 1, freqId, 0));
        assertEquals(base.sample(start + 40, freqId, 5), signal.sample(start + 40, freqId, 5));
        int positive = 0;
        for (long seq = start; seq < start + 40; seq++)
        {
            final byte first = signal.sample(seq, freqId, 0);
            assertEquals(2, Math.abs(SampleByte.real(first) - 1));
            assertEquals(2, Math.abs(SampleByte.imag(first) + 1));
            positive += SampleByte.real(first) > 1 ? 1 : 0;
            for (int input = 1; input < 50; input++)
            {
                assertEquals(first, signal.sample(seq, freqId, input), "the burst is common to all inputs");
            }
        }
        assertTrue(positive > 5 && positive < 35, "pulse signs are drawn, not constant: " + positive + " of 40");
    }
}
