package org.kotekanj.sim.signal;

/**
 * The 4+4-bit offset-binary sample of the wire spec: high nibble real, low nibble imaginary, value = nibble - 8.
 * F-engines never emit -8, so every value a signal produces is in -7..7; {@code 0x88} (0 + 0i) is also the fill of
 * lost samples.
 */
public final class SampleByte
{
    /** The largest magnitude of either part. */
    public static final int MAX = 7;
    /** 0 + 0i, the fill value of lost samples and padding inputs. */
    public static final byte ZERO = (byte)0x88;

    private SampleByte()
    {
    }

    /** Encodes parts already in -7..7. */
    public static byte of(final int real, final int imag)
    {
        return (byte)((real + 8) << 4 | (imag + 8));
    }

    public static int real(final byte sample)
    {
        return (sample >> 4 & 0xF) - 8;
    }

    public static int imag(final byte sample)
    {
        return (sample & 0xF) - 8;
    }

    /** Clips a part to the legal range -7..7. */
    public static int clip(final int value)
    {
        return Math.max(-MAX, Math.min(MAX, value));
    }

    /** True unless a nibble is 0 (which would mean -8, never sent). */
    public static boolean isLegal(final byte sample)
    {
        return (sample & 0xF0) != 0 && (sample & 0x0F) != 0;
    }
}
