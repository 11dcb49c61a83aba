package org.kotekanj.sim.signal;

import org.kotekanj.config.StageConfig;

/** Range-checked reads of the keys signals share; a bad value is a config error at its line, never an exception. */
final class SignalKeys
{
    private SignalKeys()
    {
    }

    /** A real or imaginary part: an integer in -7..7 (clipped after recording the error). */
    static int part(final StageConfig signal, final String key, final int fallback)
    {
        final int value = signal.getInt(key, fallback);
        if (Math.abs(value) > SampleByte.MAX)
        {
            signal.error(key, "must be in -7..7 (a 4-bit part, -8 is never sent), found " + value);
            return SampleByte.clip(value);
        }
        return value;
    }

    /** An integer in {@code [min, max]} (clamped after recording the error). */
    static int intIn(final StageConfig signal, final String key, final int fallback, final int min, final int max)
    {
        final int value = signal.getInt(key, fallback);
        if (value < min || value > max)
        {
            signal.error(key, "must be in " + min + ".." + max + ", found " + value);
            return Math.max(min, Math.min(max, value));
        }
        return value;
    }

    /** A finite number of at least {@code min}. */
    static double atLeast(final StageConfig signal, final String key, final double fallback, final double min)
    {
        final double value = signal.getDouble(key, fallback);
        if (!(value >= min) || !Double.isFinite(value))
        {
            signal.error(key, "must be a finite number of at least " + min + ", found " + value);
            return Math.max(min, Double.isFinite(value) ? value : fallback);
        }
        return value;
    }
}
