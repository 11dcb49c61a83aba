package org.kotekanj.sim.send;

import java.util.Locale;

/**
 * How fast the simulator sends: {@code realtime} (one packet per stream every {@code S x sample_period_ns}, as an
 * F-engine does), {@code xK} ({@code K} times real time, e.g. {@code x4} or {@code x0.5}) or {@code max} (as fast
 * as the sender can).
 *
 * @param speedup the multiple of real time; {@link Double#POSITIVE_INFINITY} for {@code max}.
 */
public record SendRate(String text, double speedup)
{
    public static final SendRate MAX = new SendRate("max", Double.POSITIVE_INFINITY);
    public static final SendRate REALTIME = new SendRate("realtime", 1.0);

    /** Parses a rate; throws {@link IllegalArgumentException} naming the text and the accepted forms. */
    public static SendRate parse(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("max"))
        {
            return MAX;
        }
        if (value.equals("realtime"))
        {
            return REALTIME;
        }
        if (value.startsWith("x"))
        {
            try
            {
                final double speedup = Double.parseDouble(value.substring(1));
                if (speedup > 0 && Double.isFinite(speedup))
                {
                    return new SendRate(value, speedup);
                }
            }
            catch (final NumberFormatException e)
            {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("rate '" + text + "' is not one of realtime, xK (K > 0 times real " +
            "time, e.g. x4 or x0.5) or max");
    }

    public boolean isMax()
    {
        return Double.isInfinite(speedup);
    }

    /** Nanoseconds between a stream's packets at this rate (0 for {@code max}). */
    public double stepPeriodNanos(final long samplePeriodNs, final int samplesPerPacket)
    {
        return isMax() ? 0 : samplePeriodNs * (double)samplesPerPacket / speedup;
    }

    @Override
    public String toString()
    {
        return text;
    }
}
