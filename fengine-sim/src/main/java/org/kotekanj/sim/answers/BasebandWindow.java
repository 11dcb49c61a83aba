package org.kotekanj.sim.answers;

import java.lang.foreign.MemorySegment;

import org.kotekanj.sim.signal.SampleSignal;

/**
 * Raw baseband of one frequency over a span of samples, {@code samples[time][input]} as a baseband dump stores it,
 * with the samples present; either read from a dump or generated from the signal as the expected answer.
 */
public record BasebandWindow(int freqId, long firstSeq, byte[][] samples, boolean[] present)
{
    /** What a complete dump of {@code [firstSeq, firstSeq + ntime)} of inputs {@code [0, ninput)} holds. */
    public static BasebandWindow expected(final SampleSignal signal, final int freqId, final long firstSeq,
        final int ntime, final int ninput)
    {
        final byte[][] samples = new byte[ntime][ninput];
        final boolean[] present = new boolean[ntime];
        for (int t = 0; t < ntime; t++)
        {
            signal.fill(firstSeq + t, freqId, 0, ninput, MemorySegment.ofArray(samples[t]), 0);
            present[t] = true;
        }
        return new BasebandWindow(freqId, firstSeq, samples, present);
    }

    public int numTimes()
    {
        return samples.length;
    }

    public int numInputs()
    {
        return samples.length == 0 ? 0 : samples[0].length;
    }
}
