package org.kotekanj.sim.send;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.SocketBufferSize;

/**
 * One link's connected UDP socket as the sender sees it: send a range of a batch, learn how many went. Two kinds
 * ({@link Transport}): {@code sendmmsg} through FFM (the fast path) and the JDK's {@code DatagramChannel} (the
 * fallback that needs no native access).
 */
public interface LinkSocket extends AutoCloseable
{
    /** The ways a link can send. */
    enum Transport
    {
        /** One {@code sendmmsg} per batch through {@link org.kotekanj.nativeio.UdpSocket}. */
        SENDMMSG,
        /** One {@code DatagramChannel.write} per datagram. */
        NIO
    }

    /**
     * Opens a socket of the given kind connected to {@code destination}, asking for a send buffer; {@code gso}
     * lets {@code sendmmsg} links send runs of equal datagrams as UDP GSO messages.
     */
    static LinkSocket open(final Transport transport, final InetSocketAddress destination, final int sendBufferBytes,
        final boolean gso) throws IOException
    {
        return transport == Transport.NIO ? NioLinkSocket.open(destination, sendBufferBytes) :
            MmsgLinkSocket.open(destination, sendBufferBytes, gso);
    }

    /**
     * Sends messages {@code first .. first+count-1} of the batch without blocking.
     *
     * @return how many were sent (the rest must be sent again), or {@code -errno}: {@code -EAGAIN} when the socket
     * buffer is full, {@code -ECONNREFUSED} when an earlier datagram found nobody listening (that one was not
     * sent; the error is cleared).
     */
    int send(MmsgBatch batch, int first, int count);

    /** How this link sends, e.g. {@code sendmmsg+gso}, for reports. */
    String describe();

    /** The send buffer the kernel granted. */
    SocketBufferSize sendBuffer();

    @Override
    void close() throws IOException;
}
