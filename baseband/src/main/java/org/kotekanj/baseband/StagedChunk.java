package org.kotekanj.baseband;

import java.lang.foreign.MemorySegment;

import org.kotekanj.baseband.ring.StagingArea;

/**
 * Rows {@code [firstSample, firstSample + rows)} of one (event, frequency) dump in staging: {@code rows × inputs}
 * sample bytes, then {@code rows} presence bytes (1 = captured), handed from the copier to the writer.
 *
 * @param last true for the chunk that completes the dump's window.
 */
record StagedChunk(FreqDump dump, long firstSample, int rows, int inputs, StagingArea.Slice slice, boolean last)
{
    MemorySegment samples()
    {
        return slice.segment().asSlice(0, (long)rows * inputs);
    }

    MemorySegment present()
    {
        return slice.segment().asSlice((long)rows * inputs, rows);
    }

    long sampleBytes()
    {
        return (long)rows * inputs;
    }

    static long bytesFor(final int rows, final int inputs)
    {
        return (long)rows * (inputs + 1);
    }
}
