package org.kotekanj.sim.signal;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;

/**
 * Reads the {@code signal:} block of a simulator or checker config into a {@link SampleSignal}. The same block in a
 * YAML file feeds the simulator that sends and the checker that verifies, so both derive the same bytes.
 *
 * <pre>
 * signal:
 *   type: tpluse        # const | tpluse | ...
 *   seed: 1             # where the signal has randomness
 * </pre>
 */
public final class Signals
{
    private Signals()
    {
    }

    public static SampleSignal read(final StageConfig config, final PacketGeometry geometry)
    {
        final StageConfig signal = config.child("signal");
        if (signal == null)
        {
            return new TplusESignal();
        }
        final String type = signal.getString("type", "tpluse");
        return switch (type)
        {
            case "tpluse" -> new TplusESignal();
            case "const" -> new ConstSignal(signal.getInt("real", 1), signal.getInt("imag", 0));
            default ->
            {
                signal.error("type", "unknown signal type '" + type + "'; known: const, tpluse");
                yield new TplusESignal();
            }
        };
    }
}
