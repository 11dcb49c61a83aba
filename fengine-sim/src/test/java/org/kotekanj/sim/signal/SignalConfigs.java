package org.kotekanj.sim.signal;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.PacketGeometry;

/** Builds signals from YAML text as a stage would read them, for tests. */
public final class SignalConfigs
{
    private SignalConfigs()
    {
    }

    /** The root of a YAML document as a stage config; errors land in {@code errors}. */
    public static StageConfig config(final String yaml, final ConfigErrors errors)
    {
        return new StageConfig(YamlConfigLoader.parse(yaml, "test.yaml", errors), errors);
    }

    /** The signal of a YAML document whose root holds a {@code signal:} block; fails on any config error. */
    public static SampleSignal signal(final String yaml)
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = config(yaml, errors);
        final SampleSignal signal = Signals.read(config, PacketGeometry.read(config));
        errors.throwIfAny();
        return signal;
    }
}
