package org.kotekanj.pipelines;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Loopback UDP ports the kernel hands out as free, so that tests never rely on fixed ports. */
final class FreeUdpPorts
{
    private FreeUdpPorts()
    {
    }

    /** One free loopback UDP port. */
    static int one() throws IOException
    {
        return take(1).getFirst();
    }

    /** {@code count} distinct free loopback UDP ports (all sockets are held until each has its port). */
    static List<Integer> take(final int count) throws IOException
    {
        final List<DatagramSocket> sockets = new ArrayList<>();
        final List<Integer> ports = new ArrayList<>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
        }
        finally
        {
            sockets.forEach(DatagramSocket::close);
        }
        return ports;
    }
}
