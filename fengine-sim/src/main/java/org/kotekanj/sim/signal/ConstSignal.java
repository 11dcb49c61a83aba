package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.config.StageConfig;

/**
 * Every input carries the same complex value {@code real + i·imag} (each in -7..7) at every sample: the simplest
 * signal whose visibilities ({@code N·(real² + imag²)} for every product) can be checked by eye.
 *
 * <pre>
 * signal: {type: const, real: 1, imag: 0}
 * </pre>
 */
public final class ConstSignal implements SampleSignal
{
    private final byte value;

    public ConstSignal(final int real, final int imag)
    {
        if (Math.abs(real) > SampleByte.MAX || Math.abs(imag) > SampleByte.MAX)
        {
            throw new IllegalArgumentException("const signal parts must be in -7..7: " + real + ", " + imag);
        }
        this.value = SampleByte.of(real, imag);
    }

    /** Reads {@code real} and {@code imag}; a value outside -7..7 is a config error (and is clipped). */
    static ConstSignal read(final StageConfig signal)
    {
        return new ConstSignal(SignalKeys.part(signal, "real", 1), SignalKeys.part(signal, "imag", 0));
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
        SampleRuns.fill(dst, offset, count, value);
    }

    @Override
    public long timePeriod(final int numInputs)
    {
        return 1;
    }
}
