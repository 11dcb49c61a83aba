package org.kotekanj.stages.receive;

/**
 * The datagrams one poll returned: absolute address, length and link (index of the port/socket it came on) of each.
 * Sources fill it without allocation; the addresses stay valid until the source's next poll (or its
 * {@link PacketSource#release}), which lets ring-buffer sources hand out datagrams in place.
 */
public final class PacketBatch
{
    private final long[] addresses;
    private final int[] lengths;
    private final int[] links;
    private int count;

    public PacketBatch(final int capacity)
    {
        addresses = new long[capacity];
        lengths = new int[capacity];
        links = new int[capacity];
    }

    public int capacity()
    {
        return addresses.length;
    }

    public int count()
    {
        return count;
    }

    public long address(final int i)
    {
        return addresses[i];
    }

    public int length(final int i)
    {
        return lengths[i];
    }

    public int link(final int i)
    {
        return links[i];
    }

    public void clear()
    {
        count = 0;
    }

    /** Appends one datagram; the caller checks {@link #capacity()}. */
    public void add(final long address, final int length, final int link)
    {
        addresses[count] = address;
        lengths[count] = length;
        links[count] = link;
        count++;
    }
}
