package org.kotekanj.stages.receive;

import java.util.Arrays;

import org.kotekanj.log.Log;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.NativeException;
import org.kotekanj.nativeio.SocketBufferSize;
import org.kotekanj.nativeio.UdpSocket;

/**
 * The default receive path on Linux: one UDP socket per port, drained with {@code recvmmsg(MSG_DONTWAIT)} through an
 * FFM critical downcall, up to a whole batch per system call, straight into the slots of one off-heap buffer that the
 * placement reads in place. Asks for large socket buffers (forced where permitted) and warns when the kernel capped
 * them; reads each socket's kernel drop counter ({@code SO_RXQ_OVFL}) from the datagrams' control data.
 */
public final class RecvmmsgSource implements PacketSource
{
    private final UdpSocket[] sockets;
    private final int[] ports;
    private final MmsgBatch messages;
    private final long[] drops;
    private final String description;
    private int nextSocket;

    public RecvmmsgSource(final String bindAddress, final int[] ports, final int batchCapacity, final int slotSize,
        final int socketBufferBytes, final Log log)
    {
        this.ports = ports.clone();
        this.sockets = new UdpSocket[ports.length];
        this.drops = new long[ports.length];
        final StringBuilder buffers = new StringBuilder();
        try
        {
            for (int i = 0; i < ports.length; i++)
            {
                final UdpSocket socket = UdpSocket.open();
                sockets[i] = socket;
                final SocketBufferSize granted = socket.setReceiveBufferSize(socketBufferBytes);
                if (granted.capped())
                {
                    log.warn("the kernel capped the receive buffer of port " + ports[i] + ": " + granted +
                        "; raise net.core.rmem_max (or run with CAP_NET_ADMIN) to absorb bursts without drops");
                }
                // No SO_REUSEADDR: a receive port belongs to one receiver (a second instance must fail, not share).
                try
                {
                    socket.bind(UdpSocket.ipv4(bindAddress, ports[i]));
                }
                catch (final NativeException e)
                {
                    if (e.errno() == ReceivePorts.EADDRINUSE)
                    {
                        throw ReceivePorts.inUse(bindAddress, ports[i]);
                    }
                    throw e;
                }
                buffers.append(i == 0 ? "" : ", ").append(granted.granted());
            }
        }
        catch (final IllegalStateException e)
        {
            close();
            throw e;
        }
        catch (final RuntimeException e)
        {
            close();
            throw new NativeException("cannot receive on " + bindAddress + " ports " + Arrays.toString(ports) + ": " +
                e.getMessage(), e instanceof NativeException n ? n.errno() : 0);
        }
        messages = new MmsgBatch(Math.min(batchCapacity, MmsgBatch.MAX_MESSAGES), slotSize, 0);
        description = "recvmmsg on " + bindAddress + " ports " + Arrays.toString(ports) + ", batches of " +
            messages.capacity() + ", SO_RCVBUF " + buffers;
    }

    /** Drains one socket per poll, taking the sockets in turn, so no link can starve the others. */
    @Override
    public int poll(final PacketBatch batch)
    {
        batch.clear();
        final int limit = Math.min(batch.capacity(), messages.capacity());
        for (int tried = 0; tried < sockets.length; tried++)
        {
            final int link = nextSocket;
            nextSocket = nextSocket + 1 == sockets.length ? 0 : nextSocket + 1;
            final int received = sockets[link].receive(messages, limit);
            if (received > 0)
            {
                final long base = messages.buffer().address();
                for (int i = 0; i < received; i++)
                {
                    batch.add(base + messages.slotOffset(i), messages.receivedLength(i), link);
                }
                return received;
            }
            if (received < 0 && received != -UdpSocket.EAGAIN && received != -UdpSocket.EINTR)
            {
                throw new NativeException("recvmmsg on port " + ports[link] + " failed: " +
                    org.kotekanj.nativeio.Libc.strerror(-received), -received);
            }
        }
        return 0;
    }

    /** The kernel's drop count of a link's socket ({@code SO_MEMINFO}), asked now: no per-datagram cost. */
    @Override
    public long socketDrops(final int link)
    {
        final long dropped = sockets[link].drops();
        if (dropped > drops[link])
        {
            drops[link] = dropped;
        }
        return drops[link];
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        for (final UdpSocket socket : sockets)
        {
            if (socket != null)
            {
                socket.close();
            }
        }
        if (messages != null)
        {
            messages.close();
        }
    }
}
