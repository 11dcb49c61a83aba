package org.kotekanj.sim.answers;

import org.junit.jupiter.api.Test;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.sim.signal.ConstSignal;
import org.kotekanj.sim.signal.FrbPulse;
import org.kotekanj.sim.signal.FrbSignal;
import org.kotekanj.sim.signal.OneHotSignal;
import org.kotekanj.sim.signal.RampSignal;
import org.kotekanj.sim.signal.RandomSignal;
import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.TplusESignal;
import org.kotekanj.sim.signal.WalshSignal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every exact method against a plain correlation of the generated samples, written out here independently. */
class VisibilityCalculatorTest
{
    private static final int INPUTS = 20;

    @Test
    void shouldGiveWalshVisibilitiesExactlyOverAlignedBlocks()
    {
        final WalshSignal signal = new WalshSignal(17, 3, 4);
        final long block = WalshSignal.blockLength(INPUTS);
        assertEquals(32, block);
        for (final int freqId : new int[] {0, 5, 900})
        {
            assertExact(signal, freqId, 7 * block, 3 * block);
            assertExact(signal, freqId, (1L << 40) * block, 100 * block);
        }
    }

    @Test
    void shouldMatchTheWalshClosedFormWrittenOut()
    {
        final WalshSignal signal = new WalshSignal(2, 2, 5);
        final long block = WalshSignal.blockLength(INPUTS);
        final ExpectedVisibility expected = new VisibilityCalculator(signal, INPUTS, false).expected(3, 4 * block,
            6 * block);
        int p = 0;
        for (int a = 0; a < INPUTS; a++)
        {
            for (int b = a; b < INPUTS; b++)
            {
                final long cr = signal.offsetReal(3, a) * signal.offsetReal(3, b) +
                    signal.offsetImag(3, a) * signal.offsetImag(3, b);
                final long d = a == b ? signal.codeReal(3, a) * signal.codeReal(3, a) +
                    signal.codeImag(3, a) * signal.codeImag(3, a) : 0;
                assertEquals(6 * block * (cr + d), expected.real()[p]);
                assertEquals(6 * block * (signal.offsetImag(3, a) * signal.offsetReal(3, b) -
                    signal.offsetReal(3, a) * signal.offsetImag(3, b)), expected.imag()[p]);
                p++;
            }
        }
    }

    @Test
    void shouldStayExactForWalshSpansThatBreakTheAlignmentRule()
    {
        final WalshSignal signal = new WalshSignal(5, 3, 4);
        assertExact(signal, 11, 45, 200);
        assertExact(signal, 11, 3, 20);
        assertExact(signal, 11, 64, 31);
    }

    @Test
    void shouldGivePeriodicSignalsExactly()
    {
        for (final SampleSignal signal : new SampleSignal[] {new ConstSignal(3, -2), new OneHotSignal(6, 9, -7, 5),
            new OneHotSignal(2, -1, 1, 1), new RampSignal(), new TplusESignal()})
        {
            for (final int freqId : new int[] {9, 10})
            {
                assertExact(signal, freqId, 1000, 777);
                assertExact(signal, freqId, 5, 1);
            }
        }
    }

    @Test
    void shouldGiveConstAndOnehotTheirObviousValues()
    {
        final ExpectedVisibility constant = new VisibilityCalculator(new ConstSignal(3, -2), 4, false).expected(0, 0,
            1000);
        for (int p = 0; p < 10; p++)
        {
            assertEquals(1000 * 13, constant.real()[p]);
            assertEquals(0, constant.imag()[p]);
        }
        final ExpectedVisibility onehot = new VisibilityCalculator(new OneHotSignal(2, -1, 3, 4), 4, false)
            .expected(1, 50, 1000);
        for (int p = 0; p < 10; p++)
        {
            assertEquals(p == 7 ? 25_000 : 0, onehot.real()[p], "product " + p);
        }
    }

    @Test
    void shouldCorrelateAperiodicSignalsSampleBySample()
    {
        assertExact(new RandomSignal(8), 3, 12345, 300);
    }

    @Test
    void shouldUseTheBaseSignalOutsideAnFrbAndCorrelateAcrossIt()
    {
        final PacketGeometry geometry = PacketGeometry.chime();
        final FrbPulse pulse = new FrbPulse(10_000, 0.0, 100, 4, 400.0, FrbPulse.K_DM, 2560);
        final WalshSignal base = new WalshSignal(1, 3, 4);
        final FrbSignal frb = new FrbSignal(base, pulse, geometry, 3);
        final VisibilityCalculator calculator = new VisibilityCalculator(frb, INPUTS, false);
        final ExpectedVisibility before = calculator.expected(0, 0, 320);
        assertArrayEquals(new VisibilityCalculator(base, INPUTS, false).expected(0, 0, 320).real(), before.real());
        assertExact(frb, 0, 9_984, 160);
        final long baseAuto = new VisibilityCalculator(base, INPUTS, false).expected(0, 9_984, 160).real()[0];
        assertTrue(calculator.expected(0, 9_984, 160).real()[0] > baseAuto, "the burst adds power");
    }

    private static void assertExact(final SampleSignal signal, final int freqId, final long firstSeq,
        final long count)
    {
        final ExpectedVisibility expected = new VisibilityCalculator(signal, INPUTS, false).expected(freqId, firstSeq,
            count);
        assertTrue(expected.isExact());
        final long[][] reference = correlate(signal, freqId, firstSeq, count);
        assertArrayEquals(reference[0], expected.real(), signal + " real, span " + firstSeq + "+" + count);
        assertArrayEquals(reference[1], expected.imag(), signal + " imag, span " + firstSeq + "+" + count);
    }

    /** V_ab = Σ x_a conj(x_b) over the span, from {@link SampleSignal#sample} one byte at a time. */
    static long[][] correlate(final SampleSignal signal, final int freqId, final long firstSeq, final long count)
    {
        final int nprod = INPUTS * (INPUTS + 1) / 2;
        final long[][] sums = new long[2][nprod];
        for (long t = firstSeq; t < firstSeq + count; t++)
        {
            int p = 0;
            for (int a = 0; a < INPUTS; a++)
            {
                final byte xa = signal.sample(t, freqId, a);
                for (int b = a; b < INPUTS; b++)
                {
                    final byte xb = signal.sample(t, freqId, b);
                    sums[0][p] += SampleByte.real(xa) * SampleByte.real(xb) + SampleByte.imag(xa) * SampleByte.imag(xb);
                    sums[1][p] += SampleByte.imag(xa) * SampleByte.real(xb) - SampleByte.real(xa) * SampleByte.imag(xb);
                    p++;
                }
            }
        }
        return sums;
    }
}
