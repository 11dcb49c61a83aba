package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.config.StageConfig;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Independent uniform samples: both parts uniform on -7..7, a pure function of (seed, seq, freq_id, input) through a
 * counter-based generator, so any byte can be regenerated alone. One 64-bit draw feeds four consecutive inputs: each
 * byte takes the next base-225 digit of the draw (multiply-high by 225), which is uniform to within 2^-33.
 *
 * <pre>
 * signal: {type: random, seed: 1}
 * </pre>
 */
public final class RandomSignal implements SampleSignal
{
    private static final int OUTCOMES = 225;
    private static final int INPUTS_PER_DRAW = 4;
    private static final byte[] BYTES = bytes();

    private final long seed;

    public RandomSignal(final long seed)
    {
        this.seed = seed;
    }

    static RandomSignal read(final StageConfig signal)
    {
        return new RandomSignal(signal.getLong("seed", 1));
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        long draw = CounterHash.at(CounterHash.runKey(seed, seq, freqId), input / INPUTS_PER_DRAW);
        for (int k = input % INPUTS_PER_DRAW; k > 0; k--)
        {
            draw *= OUTCOMES;
        }
        return BYTES[(int)Math.unsignedMultiplyHigh(draw, OUTCOMES)];
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        final long key = CounterHash.runKey(seed, seq, freqId);
        int n = 0;
        while (n < count)
        {
            final int input = firstInput + n;
            long draw = CounterHash.at(key, input / INPUTS_PER_DRAW);
            int k = input % INPUTS_PER_DRAW;
            for (int skip = 0; skip < k; skip++)
            {
                draw *= OUTCOMES;
            }
            for (; k < INPUTS_PER_DRAW && n < count; k++, n++)
            {
                dst.set(JAVA_BYTE, offset + n, BYTES[(int)Math.unsignedMultiplyHigh(draw, OUTCOMES)]);
                draw *= OUTCOMES;
            }
        }
    }

    /** Digit d of 0..224 is the sample (d / 15 - 7) + i (d mod 15 - 7). */
    private static byte[] bytes()
    {
        final byte[] table = new byte[OUTCOMES];
        for (int d = 0; d < OUTCOMES; d++)
        {
            table[d] = SampleByte.of(d / 15 - SampleByte.MAX, d % 15 - SampleByte.MAX);
        }
        return table;
    }
}
