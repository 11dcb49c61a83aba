package org.kotekanj.sim.signal;

/**
 * The counter pattern for byte-exact checks: sample = {@code (seq + freq_id + input) mod 256}, with the two nibbles
 * that would mean -8 folded to -7 so the byte is a legal F-engine sample. Any byte of any dump can be recomputed from
 * its coordinates.
 */
public final class TplusESignal implements SampleSignal
{
    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        return legal((int)((seq + freqId + input) & 0xFF));
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
}
