package org.kotekanj.fengine;

/**
 * The GPU-ready frame: {@code [freq][time][input]} bytes of 4+4-bit samples, inputs padded to a multiple of 128, each
 * frame holding {@code samplesPerFrame} samples aligned to absolute sample time (a frame starts at a multiple of its
 * length), so every node and link agrees on which samples a frame holds.
 */
public record SampleFrameLayout(int numFreqs, int samplesPerFrame, int paddedInputs)
{
    public static SampleFrameLayout of(final StreamTable table, final int samplesPerFrame)
    {
        return new SampleFrameLayout(table.numFreqs(), samplesPerFrame, table.paddedInputs());
    }

    public long frameBytes()
    {
        return (long)numFreqs * samplesPerFrame * paddedInputs;
    }

    /** Byte offset of (frequency index, time sample within the frame, input). */
    public long offset(final int freqIndex, final int time, final int input)
    {
        return ((long)freqIndex * samplesPerFrame + time) * paddedInputs + input;
    }

    /** First sample of the frame holding {@code seq}. */
    public long frameStart(final long seq)
    {
        return Math.floorDiv(seq, samplesPerFrame) * samplesPerFrame;
    }
}
