package org.kotekanj.baseband.plan;

/**
 * The ring as a trigger sees it: samples {@code [oldest, end)} are held (nothing if {@code end <= oldest}), and the
 * ring holds {@code capacity} samples in all.
 */
public record RingState(long oldest, long end, long capacity)
{
    public boolean hasData()
    {
        return end > oldest;
    }
}
