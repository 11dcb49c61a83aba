package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every signal promises: fill agrees with sample byte for byte, bytes are legal, and the period holds. */
class SampleSignalTest
{
    static Stream<Arguments> signals()
    {
        return Stream.of(
            "signal: {type: tpluse}",
            "signal: {type: const, real: 2, imag: -7}",
            "signal: {type: ramp}",
            "signal: {type: onehot, input: 70, real: -1, imag: 4}",
            "signal: {type: random, seed: 3}",
            "signal: {type: walsh, seed: 5}",
            "signal: {type: gaussian, seed: 7, sky_sigma: 3, noise_sigma: 2, gains: [1, 2], delay_step_ns: 1.3}",
            "signal: {type: frb, base: {type: random}, t0_seq: 100, dm: 0, width_samples: 50, amplitude: 7}")
            .map(yaml -> Arguments.of(yaml, SignalConfigs.signal(yaml)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void shouldFillExactlyWhatSampleGives(final String yaml, final SampleSignal signal)
    {
        final MemorySegment run = MemorySegment.ofArray(new byte[10_000]);
        final int[][] runs = {{0, 16}, {1, 15}, {13, 61}, {512, 512}, {3, 130}, {4090, 20}, {7, 9000}, {100, 0}};
        for (final long seq : new long[] {0, 1, 63, 64, 101, 149, 1L << 40, (1L << 48) - 3})
        {
            for (final int freqId : new int[] {0, 17, 1023})
            {
                for (final int[] r : runs)
                {
                    run.fill((byte)0);
                    signal.fill(seq, freqId, r[0], r[1], run, 5);
                    for (int n = 0; n < r[1]; n++)
                    {
                        final byte expected = signal.sample(seq, freqId, r[0] + n);
                        final byte actual = run.get(JAVA_BYTE, 5 + n);
                        if (expected != actual)
                        {
                            assertEquals(expected, actual, "seq " + seq + " freq " + freqId + " input " + (r[0] + n));
                        }
                    }
                    assertEquals(0, run.get(JAVA_BYTE, 5 + r[1]), "fill wrote past its run");
                    assertEquals(0, run.get(JAVA_BYTE, 4), "fill wrote before its run");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void shouldNeverSendMinusEight(final String yaml, final SampleSignal signal)
    {
        for (long seq = 90; seq < 200; seq++)
        {
            for (int input = 0; input < 300; input++)
            {
                final byte sample = signal.sample(seq, (int)(seq % 7), input);
                assertTrue(SampleByte.isLegal(sample), String.format("0x%02x at seq %d input %d", sample, seq, input));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void shouldRepeatWithItsPeriod(final String yaml, final SampleSignal signal)
    {
        final int inputs = 100;
        final long period = signal.timePeriod(inputs);
        if (period == 0)
        {
            assertEquals(0, signal.timePeriod(inputs), "an aperiodic signal says so consistently");
            return;
        }
        for (final long seq : new long[] {0, 5, 1000, 1L << 33})
        {
            for (int input = 0; input < inputs; input++)
            {
                assertEquals(signal.sample(seq, 3, input), signal.sample(seq + period, 3, input));
                assertEquals(signal.sample(seq, 3, input), signal.sample(seq + 7 * period, 3, input));
            }
        }
    }
}
