package org.kotekanj.sim.send;

import java.net.InetSocketAddress;

import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.SocketBufferSize;
import org.kotekanj.nativeio.UdpSocket;

/** A link sent with one {@code sendmmsg} per batch: the sender's fast path. */
final class MmsgLinkSocket implements LinkSocket
{
    private final UdpSocket socket;
    private final SocketBufferSize sendBuffer;

    private MmsgLinkSocket(final UdpSocket socket, final SocketBufferSize sendBuffer)
    {
        this.socket = socket;
        this.sendBuffer = sendBuffer;
    }

    static MmsgLinkSocket open(final InetSocketAddress destination, final int sendBufferBytes)
    {
        final UdpSocket socket = UdpSocket.open();
        try
        {
            final SocketBufferSize granted = socket.setSendBufferSize(sendBufferBytes);
            socket.connect(destination);
            return new MmsgLinkSocket(socket, granted);
        }
        catch (final RuntimeException e)
        {
            socket.close();
            throw e;
        }
    }

    @Override
    public int send(final MmsgBatch batch, final int first, final int count)
    {
        return socket.send(batch, first, count);
    }

    @Override
    public SocketBufferSize sendBuffer()
    {
        return sendBuffer;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
