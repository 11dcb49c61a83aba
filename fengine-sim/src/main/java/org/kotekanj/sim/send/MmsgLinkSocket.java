package org.kotekanj.sim.send;

import java.net.InetSocketAddress;

import org.kotekanj.nativeio.Libc;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.SocketBufferSize;
import org.kotekanj.nativeio.UdpSocket;

/**
 * A link sent with one {@code sendmmsg} per batch: the sender's fast path. With {@code gso}, runs of equal-length
 * datagrams go as UDP GSO messages ({@link UdpSocket#sendSegmented}), which the kernel splits back into the same
 * datagrams; if the kernel or route refuses segmentation, the link falls back to plain messages for good.
 */
final class MmsgLinkSocket implements LinkSocket
{
    private final UdpSocket socket;
    private final SocketBufferSize sendBuffer;
    private boolean segmented;
    private String refusal;

    private MmsgLinkSocket(final UdpSocket socket, final SocketBufferSize sendBuffer, final boolean segmented)
    {
        this.socket = socket;
        this.sendBuffer = sendBuffer;
        this.segmented = segmented;
    }

    static MmsgLinkSocket open(final InetSocketAddress destination, final int sendBufferBytes, final boolean gso)
    {
        final UdpSocket socket = UdpSocket.open();
        try
        {
            final SocketBufferSize granted = socket.setSendBufferSize(sendBufferBytes);
            socket.connect(destination);
            return new MmsgLinkSocket(socket, granted, gso);
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
        if (segmented)
        {
            final int sent = socket.sendSegmented(batch, first, count);
            if (sent != -UdpSocket.EINVAL && sent != -UdpSocket.EIO)
            {
                return sent;
            }
            segmented = false;
            refusal = Libc.strerror(-sent);
        }
        return socket.send(batch, first, count);
    }

    @Override
    public String describe()
    {
        return segmented ? "sendmmsg+gso" : refusal != null ? "sendmmsg (gso refused: " + refusal + ")" : "sendmmsg";
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
