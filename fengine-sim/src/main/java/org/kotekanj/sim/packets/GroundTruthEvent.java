package org.kotekanj.sim.packets;

/**
 * One entry of the ground truth, as tests read it from memory: what happened ({@link EventType}) to which stream
 * (index in the stream table and its {@code stream_id}), at which time step and {@code seq}, with the type's value.
 */
public record GroundTruthEvent(EventType type, int streamIndex, int streamId, long step, long seq, long value)
{
}
