package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

/** Every input carries the same complex value {@code real + i·imag} (each in -7..7) at every sample. */
public final class ConstSignal implements SampleSignal
{
    private final byte value;

    public ConstSignal(final int real, final int imag)
    {
        if (real < -7 || real > 7 || imag < -7 || imag > 7)
        {
            throw new IllegalArgumentException("const signal parts must be in -7..7: " + real + ", " + imag);
        }
        this.value = (byte)((real + 8) << 4 | (imag + 8));
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        return value;
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        dst.asSlice(offset, count).fill(value);
    }
}
