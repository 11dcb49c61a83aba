package org.kotekanj.baseband;

/**
 * What the readout knows about the node's frames: frequencies in frame order with their centre frequencies, inputs
 * carried and padded, samples per frame, per flag row (the packet length) and the input blocks.
 */
public record NodeShape(int[] freqIds, double[] freqMhz, int numInputs, int paddedInputs, int samplesPerFrame,
    int samplesPerRow, int numBlocks, long samplePeriodNs)
{
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
