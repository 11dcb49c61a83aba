package org.kotekanj.sim.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.SocketBufferSize;
import org.kotekanj.nativeio.UdpSocket;

/**
 * A link sent through a connected, non-blocking {@link DatagramChannel}, one datagram per call: slower than
 * {@code sendmmsg}, but pure JDK, for hosts where native access is not allowed and as a reference for the fast path.
 * Each slot has a {@link ByteBuffer} view made once, so sending allocates nothing.
 */
final class NioLinkSocket implements LinkSocket
{
    private final DatagramChannel channel;
    private final SocketBufferSize sendBuffer;
    private ByteBuffer[] views = new ByteBuffer[0];
    private MmsgBatch viewed;

    private NioLinkSocket(final DatagramChannel channel, final SocketBufferSize sendBuffer)
    {
        this.channel = channel;
        this.sendBuffer = sendBuffer;
    }

    static NioLinkSocket open(final InetSocketAddress destination, final int sendBufferBytes) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
            final SocketBufferSize granted = new SocketBufferSize(sendBufferBytes,
                channel.getOption(StandardSocketOptions.SO_SNDBUF), false);
            channel.connect(destination);
            channel.configureBlocking(false);
            return new NioLinkSocket(channel, granted);
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
    }

    @Override
    public int send(final MmsgBatch batch, final int first, final int count)
    {
        if (batch != viewed)
        {
            views = new ByteBuffer[batch.capacity()];
            for (int i = 0; i < views.length; i++)
            {
                views[i] = batch.buffer().asSlice(batch.slotOffset(i), batch.slotBytes()).asByteBuffer();
            }
            viewed = batch;
        }
        for (int i = 0; i < count; i++)
        {
            final ByteBuffer view = views[first + i];
            view.clear().limit(batch.length(first + i));
            try
            {
                if (channel.write(view) == 0 && view.hasRemaining())
                {
                    return i > 0 ? i : -UdpSocket.EAGAIN;
                }
            }
            catch (final PortUnreachableException e)
            {
                return i > 0 ? i : -UdpSocket.ECONNREFUSED;
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("sending to " + channel.socket().getRemoteSocketAddress(), e);
            }
        }
        return count;
    }

    @Override
    public String describe()
    {
        return "nio";
    }

    @Override
    public SocketBufferSize sendBuffer()
    {
        return sendBuffer;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
