package org.kotekanj.sim.signal;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;

/**
 * Reads the {@code signal:} block of a simulator or checker config into a {@link SampleSignal}. The same block in a
 * YAML file feeds the simulator that sends, the checker that verifies and the expected answers, so all derive the
 * same bytes. Bad values are config errors at their line; a usable signal is still returned so {@code check} lists
 * every problem.
 *
 * <pre>
 * signal:
 *   type: tpluse      # tpluse (default) | const | ramp | onehot | random | walsh | gaussian | frb
 *   seed: 1           # for random, walsh, gaussian and frb
 * </pre>
 *
 * The keys of each type are in its class: {@link TplusESignal}, {@link ConstSignal}, {@link RampSignal},
 * {@link OneHotSignal}, {@link RandomSignal}, {@link WalshSignal}, {@link GaussianSignal}, {@link FrbSignal}.
 */
public final class Signals
{
    private static final String TYPES = "tpluse, const, ramp, onehot, random, walsh, gaussian, frb";

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
        return readBlock(signal, geometry);
    }

    private static SampleSignal readBlock(final StageConfig signal, final PacketGeometry geometry)
    {
        final String type = signal.getString("type", "tpluse");
        return switch (type)
        {
            case "tpluse" -> new TplusESignal();
            case "const" -> ConstSignal.read(signal);
            case "ramp" -> RampSignal.read(signal);
            case "onehot" -> OneHotSignal.read(signal);
            case "random" -> RandomSignal.read(signal);
            case "walsh" -> WalshSignal.read(signal);
            case "gaussian" -> GaussianSignal.read(signal, geometry);
            case "frb" -> readFrb(signal, geometry);
            default ->
            {
                signal.error("type", "unknown signal type '" + type + "'; known: " + TYPES);
                yield new TplusESignal();
            }
        };
    }

    private static SampleSignal readFrb(final StageConfig signal, final PacketGeometry geometry)
    {
        final StageConfig baseBlock = signal.child("base");
        final SampleSignal base = baseBlock == null ? GaussianSignal.read(signal, geometry) :
            readBlock(baseBlock, geometry);
        if (base instanceof FrbSignal)
        {
            baseBlock.error("type", "an frb's base cannot itself be an frb");
        }
        return new FrbSignal(base, FrbPulse.read(signal, geometry), geometry, signal.getLong("seed", 1));
    }
}
