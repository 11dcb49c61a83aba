package org.kotekanj.baseband.plan;

/** Samples {@code [start, end)} as absolute sample counters (FPGA counts). */
public record SampleRange(long start, long end)
{
    public static final SampleRange EMPTY = new SampleRange(0, 0);

    public long length()
    {
        return Math.max(0, end - start);
    }

    public boolean isEmpty()
    {
        return end <= start;
    }

    public SampleRange clip(final long from, final long to)
    {
        final long s = Math.max(start, from);
        final long e = Math.min(end, to);
        return e > s ? new SampleRange(s, e) : new SampleRange(s, s);
    }
}
