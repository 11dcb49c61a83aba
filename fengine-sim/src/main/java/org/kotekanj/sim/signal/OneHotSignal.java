package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.config.StageConfig;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One input carries {@code real + i·imag}, every other input 0 (0x88): shows at once whether inputs and
 * frequencies land where they should, since only the product (input, input) of that frequency is non-zero.
 *
 * <pre>
 * signal: {type: onehot, input: 5, freq_id: -1, real: 3, imag: -2}   # freq_id -1: every frequency
 * </pre>
 */
public final class OneHotSignal implements SampleSignal
{
    private final int input;
    private final int freqId;
    private final byte value;

    /**
     * @param freqId the one frequency that carries the value, or -1 for all.
     */
    public OneHotSignal(final int input, final int freqId, final int real, final int imag)
    {
        if (input < 0 || freqId < -1 || Math.abs(real) > SampleByte.MAX || Math.abs(imag) > SampleByte.MAX)
        {
            throw new IllegalArgumentException("onehot needs input >= 0, freq_id >= -1 and parts in -7..7: " + input +
                ", " + freqId + ", " + real + ", " + imag);
        }
        this.input = input;
        this.freqId = freqId;
        this.value = SampleByte.of(real, imag);
    }

    static OneHotSignal read(final StageConfig signal)
    {
        return new OneHotSignal(SignalKeys.intIn(signal, "input", 0, 0, Integer.MAX_VALUE),
            SignalKeys.intIn(signal, "freq_id", -1, -1, Integer.MAX_VALUE), SignalKeys.part(signal, "real", 1),
            SignalKeys.part(signal, "imag", 0));
    }

    @Override
    public byte sample(final long seq, final int freq, final int in)
    {
        return in == input && carries(freq) ? value : SampleByte.ZERO;
    }

    @Override
    public void fill(final long seq, final int freq, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        SampleRuns.fill(dst, offset, count, SampleByte.ZERO);
        final long at = (long)input - firstInput;
        if (at >= 0 && at < count && carries(freq))
        {
            dst.set(JAVA_BYTE, offset + at, value);
        }
    }

    @Override
    public long timePeriod(final int numInputs)
    {
        return 1;
    }

    private boolean carries(final int freq)
    {
        return freqId < 0 || freq == freqId;
    }
}
