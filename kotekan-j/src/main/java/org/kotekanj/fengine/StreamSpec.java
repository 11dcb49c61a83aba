package org.kotekanj.fengine;

/**
 * One F-engine stream a node expects: its {@code stream_id}, the block of {@code N_p} inputs its packets carry, and the
 * {@code freq_id} of each of its {@code F_p} frequency slots {@code k}.
 */
public record StreamSpec(int streamId, int inputBlock, int[] freqIds)
{
    public String label()
    {
        return StreamId.format(streamId);
    }
}
