package org.kotekanj.sim;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.Signals;

/**
 * What the simulated F-engines feeding one node send: packet geometry, the node's streams and the signal, read from
 * the same config keys by the simulator, the frame checker and the expected answers, so all three agree on every
 * byte.
 */
public record SimulatedNode(PacketGeometry geometry, StreamTable streams, SampleSignal signal)
{
    /** Reads {@code profile} and geometry overrides, the stream keys of the profile and the {@code signal:} block. */
    public static SimulatedNode read(final StageConfig config)
    {
        final PacketGeometry geometry = PacketGeometry.read(config);
        return new SimulatedNode(geometry, StreamTable.read(config, geometry), Signals.read(config, geometry));
    }

    /** Inputs the node receives (without padding). */
    public int numInputs()
    {
        return streams.numInputs();
    }
}
