package org.kotekanj.buffer;

/**
 * The word in which producers of one frame merge their header totals ({@link FrameProducer#contribute}): lap tag,
 * producers that contributed, OR of their flag bits and sum of their counts, packed in one {@code long} so that a
 * single CAS merges a share.
 *
 * <pre>
 *   63        49 48      42 41     34 33                     0
 *  +------------+----------+---------+------------------------+
 *  |  lap (15)  | prod (7) | flags 8 |       count (34)       |
 *  +------------+----------+---------+------------------------+
 * </pre>
 */
public final class HeaderShare
{
    public static final long MAX_COUNT = (1L << 34) - 1;
    public static final int FLAG_MASK = 0xFF;
    private static final int FLAGS_SHIFT = 34;
    private static final int PRODUCERS_SHIFT = 42;
    private static final int LAP_SHIFT = 49;

    private HeaderShare()
    {
    }

    static long of(final long lap, final int producers, final int flags, final long count)
    {
        return lap << LAP_SHIFT | (long)producers << PRODUCERS_SHIFT | (long)flags << FLAGS_SHIFT |
            Math.min(count, MAX_COUNT);
    }

    static long lap(final long share)
    {
        return share >>> LAP_SHIFT;
    }

    static int producers(final long share)
    {
        return (int)(share >>> PRODUCERS_SHIFT & 0x7F);
    }

    /** OR of every producer's flags. */
    public static int flags(final long share)
    {
        return (int)(share >>> FLAGS_SHIFT & FLAG_MASK);
    }

    /** Sum of every producer's counts. */
    public static long count(final long share)
    {
        return share & MAX_COUNT;
    }
}
