package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.config.StageConfig;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Offsets plus Walsh codes, a signal whose visibilities over aligned blocks are known exactly. Input {@code i} at
 * frequency {@code f} carries
 *
 * <pre>
 *   x_i(t) = c_i + d_i · h_{i+1}(t),        h_j(t) = (-1)^popcount(j AND t)
 * </pre>
 *
 * where {@code t} is the absolute sample counter {@code seq}, {@code h_j} is the Walsh (Hadamard) function of index
 * {@code j}, and the complex integers {@code c_i} (offset) and {@code d_i} (code amplitude) are drawn from the seed,
 * with {@code |Re c| + |Re d| <= 7} and likewise for the imaginary parts, so nothing is ever clipped.
 *
 * <p><b>Alignment rule.</b> Let {@code L} be the smallest power of two greater than the number of inputs {@code n}
 * (so every code index {@code i + 1 <= n} is below {@code L}): {@link #blockLength}. Over a block of {@code L}
 * samples starting at a multiple of {@code L}, every {@code h_j} with {@code 1 <= j < L} sums to zero and distinct
 * codes are orthogonal, so an integration of {@code B} such blocks has exactly
 *
 * <pre>
 *   V_ab = B·L · (c_a·conj(c_b) + |d_a|²·δ_ab)
 * </pre>
 *
 * An integration is aligned when both its first seq and its length are multiples of {@code L}. For CHIME (2048
 * inputs, {@code L} = 4096) any frame-aligned integration of a multiple of 4096 samples qualifies, e.g. the
 * 49152-sample frames. Unaligned spans are still exact but need brute force on their partial blocks.
 *
 * <p>{@code c} and {@code d} come from a table of {@value #TABLE_INPUTS} entries indexed by
 * {@code (input + r(f)) mod 4096}, where {@code r(f)} is a seeded rotation per frequency, so a frequency or input
 * mix-up changes the visibilities. {@link #fill} selects, eight inputs at a time, between the precomputed bytes of
 * {@code c + d} and {@code c - d} with the code signs of 64 inputs computed at once.
 *
 * <pre>
 * signal: {type: walsh, seed: 1, offset_max: 3, code_max: 4}   # offset_max + code_max <= 7
 * </pre>
 */
public final class WalshSignal implements SampleSignal
{
    /** Inputs of the offset and code table; input indices wrap onto it. */
    public static final int TABLE_INPUTS = 4096;
    private static final long ROTATION_SALT = 0x5741_4C53_4852_4F54L;
    private static final long TABLE_SALT = 0x5741_4C53_4854_4142L;
    /** {@code WALSH64[s]}: bit k is the parity of {@code k AND s}, for k in 0..63. */
    private static final long[] WALSH64 = walsh64();
    /** {@code SPREAD[m]}: byte k is 0xFF where bit k of m is set. */
    private static final long[] SPREAD = spread();

    private final byte[] offsetReal = new byte[TABLE_INPUTS];
    private final byte[] offsetImag = new byte[TABLE_INPUTS];
    private final byte[] codeReal = new byte[TABLE_INPUTS];
    private final byte[] codeImag = new byte[TABLE_INPUTS];
    /** Bytes of {@code c + d}, the table twice over so that a run of up to 4096 inputs never wraps. */
    private final byte[] plus = new byte[2 * TABLE_INPUTS];
    /** {@code (c + d) XOR (c - d)}, likewise doubled. */
    private final byte[] flip = new byte[2 * TABLE_INPUTS];
    private final long rotationKey;

    public WalshSignal(final long seed, final int offsetMax, final int codeMax)
    {
        if (offsetMax < 0 || codeMax < 1 || offsetMax + codeMax > SampleByte.MAX)
        {
            throw new IllegalArgumentException("walsh needs offset_max >= 0, code_max >= 1 and offset_max + code_max" +
                " <= 7: " + offsetMax + ", " + codeMax);
        }
        this.rotationKey = CounterHash.mix(seed ^ ROTATION_SALT);
        final long key = CounterHash.runKey(seed ^ TABLE_SALT, 0, 0);
        for (int k = 0; k < TABLE_INPUTS; k++)
        {
            final long draw = CounterHash.at(key, k);
            offsetReal[k] = (byte)uniform(draw, offsetMax);
            offsetImag[k] = (byte)uniform(draw >>> 16, offsetMax);
            final int dr = uniform(draw >>> 32, codeMax);
            codeReal[k] = (byte)(dr == 0 ? 1 : dr);
            codeImag[k] = (byte)uniform(draw >>> 48, codeMax);
            final byte up = SampleByte.of(offsetReal[k] + codeReal[k], offsetImag[k] + codeImag[k]);
            final byte down = SampleByte.of(offsetReal[k] - codeReal[k], offsetImag[k] - codeImag[k]);
            plus[k] = up;
            plus[k + TABLE_INPUTS] = up;
            flip[k] = (byte)(up ^ down);
            flip[k + TABLE_INPUTS] = (byte)(up ^ down);
        }
    }

    static WalshSignal read(final StageConfig signal)
    {
        final long seed = signal.getLong("seed", 1);
        final int offsetMax = SignalKeys.intIn(signal, "offset_max", 3, 0, SampleByte.MAX - 1);
        final int codeMax = SignalKeys.intIn(signal, "code_max", SampleByte.MAX - offsetMax, 1, SampleByte.MAX);
        if (offsetMax + codeMax > SampleByte.MAX)
        {
            signal.error("code_max", "offset_max + code_max must be at most 7 so no sample is clipped, found " +
                offsetMax + " + " + codeMax);
            return new WalshSignal(seed, offsetMax, SampleByte.MAX - offsetMax);
        }
        return new WalshSignal(seed, offsetMax, codeMax);
    }

    /** The block length {@code L} of the alignment rule: the smallest power of two greater than {@code numInputs}. */
    public static long blockLength(final int numInputs)
    {
        return Long.highestOneBit(Math.max(numInputs, 1)) << 1;
    }

    /** The Walsh code sign {@code h_{input+1}(seq)}: +1 or -1. */
    public static int codeSign(final long seq, final int input)
    {
        return 1 - 2 * (Long.bitCount((input + 1L) & seq) & 1);
    }

    public int offsetReal(final int freqId, final int input)
    {
        return offsetReal[tableIndex(freqId, input)];
    }

    public int offsetImag(final int freqId, final int input)
    {
        return offsetImag[tableIndex(freqId, input)];
    }

    public int codeReal(final int freqId, final int input)
    {
        return codeReal[tableIndex(freqId, input)];
    }

    public int codeImag(final int freqId, final int input)
    {
        return codeImag[tableIndex(freqId, input)];
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        final int k = tableIndex(freqId, input);
        return (Long.bitCount((input + 1L) & seq) & 1) == 0 ? plus[k] : (byte)(plus[k] ^ flip[k]);
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        final int k = tableIndex(freqId, firstInput);
        if (count <= 64)
        {
            fillShort(seq, firstInput + 1L, k, count, dst, offset);
            return;
        }
        // inputs i and i + 4096 share a table entry, so every chunk starts at the same one
        for (int n = 0; n < count; n += TABLE_INPUTS)
        {
            fillRun(seq, firstInput + 1L + n, k, Math.min(TABLE_INPUTS, count - n), dst, offset + n);
        }
    }

    @Override
    public long timePeriod(final int numInputs)
    {
        return blockLength(numInputs);
    }

    /** Up to 64 inputs (one sign word), kept small so that it inlines into {@link #fill}. */
    private void fillShort(final long seq, final long code, final int k, final int count, final MemorySegment dst,
        final long offset)
    {
        final long signs = signs64(code, seq);
        int n = 0;
        for (; n + 8 <= count; n += 8)
        {
            dst.set(SampleRuns.LONG_LE, offset + n, select(plus, flip, k + n, signs >>> n));
        }
        for (; n < count; n++)
        {
            final boolean minus = (signs >>> n & 1) != 0;
            dst.set(JAVA_BYTE, offset + n, minus ? (byte)(plus[k + n] ^ flip[k + n]) : plus[k + n]);
        }
    }

    /** Inputs with code indices {@code [code, code + count)}, table entries from {@code k}; count <= 4096. */
    private void fillRun(final long seq, final long code, final int k, final int count, final MemorySegment dst,
        final long offset)
    {
        final byte[] up = plus;
        final byte[] change = flip;
        int n = 0;
        for (; n + 64 <= count; n += 64)
        {
            final long signs = signs64(code + n, seq);
            final int at = k + n;
            final long to = offset + n;
            dst.set(SampleRuns.LONG_LE, to, select(up, change, at, signs));
            dst.set(SampleRuns.LONG_LE, to + 8, select(up, change, at + 8, signs >>> 8));
            dst.set(SampleRuns.LONG_LE, to + 16, select(up, change, at + 16, signs >>> 16));
            dst.set(SampleRuns.LONG_LE, to + 24, select(up, change, at + 24, signs >>> 24));
            dst.set(SampleRuns.LONG_LE, to + 32, select(up, change, at + 32, signs >>> 32));
            dst.set(SampleRuns.LONG_LE, to + 40, select(up, change, at + 40, signs >>> 40));
            dst.set(SampleRuns.LONG_LE, to + 48, select(up, change, at + 48, signs >>> 48));
            dst.set(SampleRuns.LONG_LE, to + 56, select(up, change, at + 56, signs >>> 56));
        }
        if (n < count)
        {
            final long signs = signs64(code + n, seq);
            for (; n + 8 <= count; n += 8)
            {
                dst.set(SampleRuns.LONG_LE, offset + n, select(up, change, k + n, signs >>> (n & 63)));
            }
            for (; n < count; n++)
            {
                final boolean minus = (signs >>> (n & 63) & 1) != 0;
                dst.set(JAVA_BYTE, offset + n, minus ? (byte)(up[k + n] ^ change[k + n]) : up[k + n]);
            }
        }
    }

    /** Eight samples: the bytes of {@code c + d}, flipped to {@code c - d} where the low 8 sign bits are set. */
    private static long select(final byte[] up, final byte[] change, final int at, final long signs)
    {
        return (long)SampleRuns.TABLE_LONGS.get(up, at) ^
            ((long)SampleRuns.TABLE_LONGS.get(change, at) & SPREAD[(int)signs & 0xFF]);
    }

    /**
     * Bit m is the parity of {@code (code + m) AND seq}, for m in 0..63. Within an aligned group of 64 codes the low
     * six bits and the rest contribute independently: the row of the 64-point Walsh table for {@code seq mod 64},
     * flipped by the parity of the group's high bits.
     */
    private static long signs64(final long code, final long seq)
    {
        final long row = WALSH64[(int)(seq & 63)];
        final long group = code & ~63L;
        final long low = row ^ -(Long.bitCount(group & seq) & 1);
        final int shift = (int)(code & 63);
        if (shift == 0)
        {
            return low;
        }
        final long high = row ^ -(Long.bitCount((group + 64) & seq) & 1);
        return (low >>> shift) | (high << (64 - shift));
    }

    private int tableIndex(final int freqId, final int input)
    {
        // a multiplicative hash: one per packet run, where a full mix would cost as much as filling 16 inputs
        final long hash = ((freqId + 1L) * 0x9E37_79B9_7F4A_7C15L ^ rotationKey) * 0xD1B5_4A32_D192_ED03L;
        final int rotation = (int)(hash >>> 52);
        return (input + rotation) & (TABLE_INPUTS - 1);
    }

    /** A value uniform on {@code -max..max} from the low 16 bits of {@code bits}. */
    private static int uniform(final long bits, final int max)
    {
        return (int)(((bits & 0xFFFF) * (2 * max + 1)) >>> 16) - max;
    }

    private static long[] walsh64()
    {
        final long[] rows = new long[64];
        for (int s = 0; s < 64; s++)
        {
            for (int k = 0; k < 64; k++)
            {
                rows[s] |= (long)(Integer.bitCount(k & s) & 1) << k;
            }
        }
        return rows;
    }

    private static long[] spread()
    {
        final long[] masks = new long[256];
        for (int m = 0; m < 256; m++)
        {
            for (int k = 0; k < 8; k++)
            {
                if ((m >>> k & 1) != 0)
                {
                    masks[m] |= 0xFFL << (8 * k);
                }
            }
        }
        return masks;
    }
}
