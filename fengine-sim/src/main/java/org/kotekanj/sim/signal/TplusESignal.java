package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

/**
 * The counter pattern for byte-exact checks: sample = {@code (seq + freq_id + input) mod 256}, with the two nibbles
 * that would mean -8 folded to -7 so the byte is a legal F-engine sample. Any byte of any dump can be recomputed from
 * its coordinates. A run of consecutive inputs is a slice of one precomputed table, so {@link #fill} is a copy.
 */
public final class TplusESignal implements SampleSignal
{
    /** Longest run copied from the table in one go. */
    private static final int SPAN = 4096;
    private static final byte[] TABLE = table();

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        return legal((int)((seq + freqId + input) & 0xFF));
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        int start = (int)((seq + freqId + firstInput) & 0xFF);
        for (int n = 0; n < count; n += SPAN)
        {
            SampleRuns.copy(TABLE, start, dst, offset + n, Math.min(SPAN, count - n));
            start = (start + SPAN) & 0xFF;
        }
    }

    @Override
    public long timePeriod(final int numInputs)
    {
        return 256;
    }

    /** Maps a byte to a legal sample: a nibble of 0 (which would be -8) becomes 1 (-7). */
    static byte legal(final int value)
    {
        int b = value;
        if ((b & 0xF0) == 0)
        {
            b |= 0x10;
        }
        if ((b & 0x0F) == 0)
        {
            b |= 0x01;
        }
        return (byte)b;
    }

    private static byte[] table()
    {
        final byte[] bytes = new byte[256 + SPAN];
        for (int k = 0; k < bytes.length; k++)
        {
            bytes[k] = legal(k & 0xFF);
        }
        return bytes;
    }
}
