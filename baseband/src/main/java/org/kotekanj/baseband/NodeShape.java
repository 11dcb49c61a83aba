package org.kotekanj.baseband;

import java.util.Arrays;

import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;

/**
 * What the readout knows about the node's frames: frequencies in frame order with their centre frequencies, inputs
 * carried and padded, samples per frame, per flag row (the packet length) and the input blocks, and which stream
 * brings each (frequency, input block): {@code blockStreams[freq index × numBlocks + block]} is the stream's index in
 * the frame metadata's {@code seq_offset[]} ({@link StreamTable} order, as the receiver writes it), or -1 if none.
 */
public record NodeShape(int[] freqIds, double[] freqMhz, int numInputs, int paddedInputs, int samplesPerFrame,
    int samplesPerRow, int numBlocks, long samplePeriodNs, int[] blockStreams)
{
    public NodeShape
    {
        if (blockStreams.length != freqIds.length * numBlocks)
        {
            throw new IllegalArgumentException("blockStreams needs one entry per (freq, block): " +
                freqIds.length + " x " + numBlocks + ", found " + blockStreams.length);
        }
    }

    /** The stream of each (frequency, input block) of a node's frames, as {@link #blockStreams} holds them. */
    public static int[] blockStreams(final StreamTable table)
    {
        final int[] streams = new int[table.numFreqs() * table.numBlocks()];
        Arrays.fill(streams, -1);
        for (int s = 0; s < table.streams().size(); s++)
        {
            final StreamSpec stream = table.streams().get(s);
            for (final int freqId : stream.freqIds())
            {
                streams[table.freqIndex(freqId) * table.numBlocks() + stream.inputBlock()] = s;
            }
        }
        return streams;
    }

    public int numFreqs()
    {
        return freqIds.length;
    }

    public long frameBytes()
    {
        return (long)freqIds.length * samplesPerFrame * paddedInputs;
    }

    public double frameSeconds()
    {
        return samplesPerFrame * (double)samplePeriodNs * 1e-9;
    }
}
