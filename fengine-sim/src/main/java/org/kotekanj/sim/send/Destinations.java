package org.kotekanj.sim.send;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.kotekanj.nativeio.UdpSocket;

/**
 * Where each stream's packets go. Entries are {@code host:port} or {@code host:first-last} (a port range, one port
 * per stream), e.g. {@code 127.0.0.1:10000-10003}; together they give either one destination for every stream or
 * exactly one per stream, in stream-table order. Only loopback addresses (127.0.0.0/8, {@code localhost}) are
 * accepted unless {@code allow_remote} is set: a simulator that can flood a network must be pointed at one on
 * purpose.
 */
public final class Destinations
{
    private Destinations()
    {
    }

    /**
     * Expands and checks the entries for {@code streams} streams; throws {@link IllegalArgumentException} naming the
     * offending entry.
     */
    public static List<InetSocketAddress> parse(final List<String> entries, final int streams,
        final boolean allowRemote)
    {
        if (entries.isEmpty())
        {
            throw new IllegalArgumentException("no destination: give host:port or host:first-last, e.g. " +
                "127.0.0.1:10000-" + (10000 + Math.max(streams, 1) - 1));
        }
        final List<InetSocketAddress> all = new ArrayList<>();
        for (final String raw : entries)
        {
            for (final String entry : raw.split(","))
            {
                if (!entry.isBlank())
                {
                    expand(entry.trim(), allowRemote, all);
                }
            }
        }
        if (all.size() == 1)
        {
            return Collections.nCopies(streams, all.getFirst());
        }
        if (all.size() != streams)
        {
            throw new IllegalArgumentException(all.size() + " destinations (" + String.join(", ", entries) +
                ") for " + streams + " streams: give one for all, or one per stream");
        }
        return List.copyOf(all);
    }

    private static void expand(final String entry, final boolean allowRemote, final List<InetSocketAddress> all)
    {
        final int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1)
        {
            throw new IllegalArgumentException("destination '" + entry + "' is not host:port or host:first-last");
        }
        final String host = entry.substring(0, colon);
        final String ports = entry.substring(colon + 1);
        final int dash = ports.indexOf('-');
        final int first = port(entry, dash < 0 ? ports : ports.substring(0, dash));
        final int last = dash < 0 ? first : port(entry, ports.substring(dash + 1));
        if (last < first)
        {
            throw new IllegalArgumentException("destination '" + entry + "': port range " + ports + " runs backwards");
        }
        final InetAddress address = address(entry, host, allowRemote);
        for (int port = first; port <= last; port++)
        {
            all.add(new InetSocketAddress(address, port));
        }
    }

    private static int port(final String entry, final String text)
    {
        try
        {
            final int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535)
            {
                return port;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw new IllegalArgumentException("destination '" + entry + "': port '" + text + "' is not 1..65535");
    }

    private static InetAddress address(final String entry, final String host, final boolean allowRemote)
    {
        final InetAddress address;
        if (host.equalsIgnoreCase("localhost"))
        {
            address = InetAddress.getLoopbackAddress();
        }
        else if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
        {
            final String[] octets = host.split("\\.");
            final byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                final int octet = Integer.parseInt(octets[i]);
                if (octet > 255)
                {
                    throw new IllegalArgumentException("destination '" + entry + "': " + host +
                        " is not an IPv4 address");
                }
                bytes[i] = (byte)octet;
            }
            try
            {
                address = InetAddress.getByAddress(bytes);
            }
            catch (final UnknownHostException e)
            {
                throw new IllegalStateException(e);
            }
        }
        else if (allowRemote)
        {
            try
            {
                address = UdpSocket.ipv4(host, 0).getAddress();
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("destination '" + entry + "': " + e.getMessage());
            }
        }
        else
        {
            address = null;
        }
        if (address == null || !address.isLoopbackAddress() && !allowRemote)
        {
            throw new IllegalArgumentException("destination '" + entry + "' is not a loopback address " +
                "(127.x.x.x, localhost); set allow_remote: true (--allow-remote) to send to " + host + " on purpose");
        }
        if (!(address instanceof Inet4Address))
        {
            throw new IllegalArgumentException("destination '" + entry + "': " + host + " is not IPv4");
        }
        return address;
    }
}
