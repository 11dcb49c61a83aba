package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.config.StageConfig;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Ramps that make misplaced bytes obvious in a hex dump: real part {@code ((seq + input) mod 15) - 7}, imaginary
 * part {@code ((seq + freq_id) mod 15) - 7}. A time slip shifts both parts, an input swap only the real part, a
 * frequency swap only the imaginary part. It repeats every 15 samples.
 *
 * <pre>
 * signal: {type: ramp}
 * </pre>
 */
public final class RampSignal implements SampleSignal
{
    private static final int LEVELS = 2 * SampleByte.MAX + 1;

    static RampSignal read(final StageConfig signal)
    {
        return new RampSignal();
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        return SampleByte.of(Math.floorMod(seq + input, LEVELS) - SampleByte.MAX,
            Math.floorMod(seq + freqId, LEVELS) - SampleByte.MAX);
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        final int imagNibble = Math.floorMod(seq + freqId, LEVELS) + 1;
        int realNibble = Math.floorMod(seq + firstInput, LEVELS) + 1;
        for (int n = 0; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, (byte)(realNibble << 4 | imagNibble));
            realNibble = realNibble == LEVELS ? 1 : realNibble + 1;
        }
    }

    @Override
    public long timePeriod(final int numInputs)
    {
        return LEVELS;
    }
}
