package org.kotekanj.fengine;

/**
 * The 16-bit {@code stream_id}: bits 0-3 link, 4-7 slot, 8-11 crate, 12-15 unused. Shown to operators as
 * {@code crate.slot.link}, the form metric labels use.
 */
public final class StreamId
{
    public static final int MAX = 0xFFFF;

    private StreamId()
    {
    }

    public static int of(final int crate, final int slot, final int link)
    {
        if ((crate | slot | link) < 0 || crate > 15 || slot > 15 || link > 15)
        {
            throw new IllegalArgumentException("crate, slot and link are 4-bit fields: " + crate + "." + slot + "." +
                link);
        }
        return crate << 8 | slot << 4 | link;
    }

    public static int link(final int streamId)
    {
        return streamId & 0xF;
    }

    public static int slot(final int streamId)
    {
        return streamId >> 4 & 0xF;
    }

    public static int crate(final int streamId)
    {
        return streamId >> 8 & 0xF;
    }

    public static int unused(final int streamId)
    {
        return streamId >> 12 & 0xF;
    }

    public static String format(final int streamId)
    {
        return crate(streamId) + "." + slot(streamId) + "." + link(streamId);
    }

    /** Parses {@code crate.slot.link}; throws {@link IllegalArgumentException} with the reason. */
    public static int parse(final String text)
    {
        final String[] parts = text.trim().split("\\.");
        if (parts.length != 3)
        {
            throw new IllegalArgumentException("a stream id is crate.slot.link, e.g. 0.3.1: " + text);
        }
        try
        {
            return of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("a stream id is crate.slot.link, e.g. 0.3.1: " + text);
        }
    }
}
