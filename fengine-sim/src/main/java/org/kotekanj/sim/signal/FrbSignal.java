package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import org.kotekanj.fengine.PacketGeometry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A dispersed burst injected into another signal: inside the pulse window of each frequency ({@link FrbPulse}) every
 * input gets the same complex value {@code amplitude·(±1 ± j)} added (signs drawn per sample and frequency from the
 * seed, so the burst is zero-mean but correlated across inputs, like sky emission), clipped to -7..7. Outside the
 * window it is the base signal unchanged.
 *
 * <pre>
 * signal:
 *   type: frb
 *   base: {type: gaussian}   # the signal the burst is injected into
 *   t0_seq: 1000000          # arrival sample at the reference frequency
 *   dm: 100.0                # pc cm^-3
 *   width_samples: 1024
 *   amplitude: 3             # 1..7, added to both parts
 *   ref_freq_mhz: 400.0
 *   k_dm: 4.148808           # ms GHz²
 * </pre>
 */
public final class FrbSignal implements SampleSignal
{
    private static final long PULSE_SALT = 0x4652_425F_5055_4C53L;

    private final SampleSignal base;
    private final FrbPulse pulse;
    private final PacketGeometry geometry;
    private final long seed;

    public FrbSignal(final SampleSignal base, final FrbPulse pulse, final PacketGeometry geometry, final long seed)
    {
        this.base = base;
        this.pulse = pulse;
        this.geometry = geometry;
        this.seed = seed;
    }

    public SampleSignal base()
    {
        return base;
    }

    public FrbPulse pulse()
    {
        return pulse;
    }

    /** True if the pulse of {@code freqId} overlaps samples {@code [firstSeq, firstSeq + count)}. */
    public boolean overlaps(final int freqId, final long firstSeq, final long count)
    {
        final long start = pulse.startSeq(geometry.freqMhz(freqId));
        return start < firstSeq + count && firstSeq < start + pulse.widthSamples();
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        final byte value = base.sample(seq, freqId, input);
        if (!overlaps(freqId, seq, 1))
        {
            return value;
        }
        final long signs = CounterHash.at(CounterHash.runKey(seed ^ PULSE_SALT, seq, freqId), 0);
        return add(value, pulsePart(signs), pulsePart(signs >>> 1));
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        base.fill(seq, freqId, firstInput, count, dst, offset);
        if (!overlaps(freqId, seq, 1))
        {
            return;
        }
        final long signs = CounterHash.at(CounterHash.runKey(seed ^ PULSE_SALT, seq, freqId), 0);
        final int real = pulsePart(signs);
        final int imag = pulsePart(signs >>> 1);
        for (int n = 0; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, add(dst.get(JAVA_BYTE, offset + n), real, imag));
        }
    }

    private int pulsePart(final long signBit)
    {
        return (signBit & 1) == 0 ? pulse.amplitude() : -pulse.amplitude();
    }

    private static byte add(final byte value, final int real, final int imag)
    {
        return SampleByte.of(SampleByte.clip(SampleByte.real(value) + real), SampleByte.clip(SampleByte.imag(value) +
            imag));
    }
}
