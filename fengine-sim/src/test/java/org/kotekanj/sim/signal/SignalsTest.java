package org.kotekanj.sim.signal;

import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalsTest
{
    @Test
    void shouldDefaultToTplusEWithoutASignalBlock()
    {
        assertInstanceOf(TplusESignal.class, SignalConfigs.signal("profile: chime\n"));
    }

    @Test
    void shouldReadEveryType()
    {
        assertInstanceOf(ConstSignal.class, SignalConfigs.signal("signal: {type: const, real: -7, imag: 7}"));
        assertInstanceOf(RampSignal.class, SignalConfigs.signal("signal: {type: ramp}"));
        assertInstanceOf(OneHotSignal.class, SignalConfigs.signal("signal: {type: onehot, input: 3, freq_id: 5}"));
        assertInstanceOf(RandomSignal.class, SignalConfigs.signal("signal: {type: random, seed: 9}"));
        assertInstanceOf(WalshSignal.class, SignalConfigs.signal("signal: {type: walsh, offset_max: 2, code_max: 5}"));
        assertInstanceOf(GaussianSignal.class,
            SignalConfigs.signal("signal: {type: gaussian, sky_sigma: 1.5, gains: [1, 0.5], delay_step_ns: 2}"));
        final FrbSignal frb = assertInstanceOf(FrbSignal.class,
            SignalConfigs.signal("signal: {type: frb, base: {type: walsh}, dm: 50, t0_seq: 1000, amplitude: 2}"));
        assertInstanceOf(WalshSignal.class, frb.base());
        assertEquals(50.0, frb.pulse().dm());
        assertEquals(1000, frb.pulse().t0Seq());
    }

    @Test
    void shouldGiveTheConfiguredConstValue()
    {
        final SampleSignal signal = SignalConfigs.signal("signal: {type: const, real: -3, imag: 5}");
        assertEquals(SampleByte.of(-3, 5), signal.sample(12, 3, 7));
    }

    @Test
    void shouldRecordOutOfRangeValuesAsConfigErrors()
    {
        assertErrors("signal: {type: const, real: 8, imag: -9}", "real", "imag");
        assertErrors("signal: {type: walsh, offset_max: 4, code_max: 4}", "code_max");
        assertErrors("signal: {type: onehot, input: -1}", "input");
        assertErrors("signal: {type: gaussian, noise_sigma: -1, gains: [1, oops]}", "noise_sigma", "gains");
        assertErrors("signal: {type: frb, amplitude: 9, width_samples: 0}", "amplitude", "width_samples");
        assertErrors("signal: {type: sine}", "unknown signal type 'sine'");
    }

    private static void assertErrors(final String yaml, final String... expected)
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = SignalConfigs.config(yaml, errors);
        final SampleSignal signal = Signals.read(config, PacketGeometry.read(config));
        final String messages = errors.list().stream().map(Object::toString).collect(Collectors.joining("\n"));
        for (final String text : expected)
        {
            assertTrue(messages.contains(text), "expected an error about " + text + " in:\n" + messages);
        }
        for (int input = 0; input < 64; input++)
        {
            assertTrue(SampleByte.isLegal(signal.sample(5, 1, input)), "a misconfigured signal sends legal bytes");
        }
    }
}
