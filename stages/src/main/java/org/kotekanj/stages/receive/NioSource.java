package org.kotekanj.stages.receive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.kotekanj.log.Log;

/**
 * The portable receive path: one non-blocking {@link DatagramChannel} per port, busy-polled round robin, each
 * datagram read into its own slot of an off-heap buffer. One system call per datagram (recvmmsg does a batch per
 * call), so it is the slow fallback; kept for platforms without the FFM socket path and as a baseline.
 */
public final class NioSource implements PacketSource
{
    private final DatagramChannel[] channels;
    private final int[] ports;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment slots;
    private final ByteBuffer[] views;
    private final int slotSize;
    private final String description;
    private int nextChannel;

    public NioSource(final String bindAddress, final int[] ports, final int batchCapacity, final int slotSize,
        final int socketBufferBytes, final Log log)
    {
        this.ports = ports.clone();
        this.slotSize = slotSize;
        this.channels = new DatagramChannel[ports.length];
        final StringBuilder buffers = new StringBuilder();
        try
        {
            for (int i = 0; i < ports.length; i++)
            {
                final DatagramChannel channel = DatagramChannel.open();
                channels[i] = channel;
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
                // No SO_REUSEADDR: a receive port belongs to one receiver (a second instance must fail, not share).
                try
                {
                    channel.bind(new InetSocketAddress(bindAddress, ports[i]));
                }
                catch (final java.net.BindException e)
                {
                    throw ReceivePorts.inUse(bindAddress, ports[i]);
                }
                final int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
                buffers.append(i == 0 ? "" : ", ").append(granted);
                if (granted < socketBufferBytes)
                {
                    log.warn("the kernel capped the receive buffer of port " + ports[i] + " to " + granted +
                        " bytes (asked " + socketBufferBytes + "); raise net.core.rmem_max to avoid drops");
                }
            }
        }
        catch (final IllegalStateException e)
        {
            close();
            throw e;
        }
        catch (final IOException e)
        {
            close();
            throw new UncheckedIOException("cannot open UDP ports " + java.util.Arrays.toString(ports) + " on " +
                bindAddress + ": " + e.getMessage(), e);
        }
        slots = arena.allocate((long)batchCapacity * slotSize, 64);
        views = new ByteBuffer[batchCapacity];
        for (int i = 0; i < batchCapacity; i++)
        {
            views[i] = slots.asSlice((long)i * slotSize, slotSize).asByteBuffer();
        }
        description = "nio on " + bindAddress + " ports " + java.util.Arrays.toString(ports) + ", SO_RCVBUF " + buffers;
    }

    @Override
    public int poll(final PacketBatch batch)
    {
        batch.clear();
        int idleChannels = 0;
        try
        {
            while (batch.count() < batch.capacity() && idleChannels < channels.length)
            {
                final int link = nextChannel;
                nextChannel = nextChannel + 1 == channels.length ? 0 : nextChannel + 1;
                final ByteBuffer view = views[batch.count()];
                view.clear();
                if (channels[link].receive(view) == null)
                {
                    idleChannels++;
                    continue;
                }
                idleChannels = 0;
                batch.add(slots.address() + (long)batch.count() * slotSize, view.position(), link);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("receive failed: " + e.getMessage(), e);
        }
        return batch.count();
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        for (final DatagramChannel channel : channels)
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException e)
                {
                    // Closing: nothing more to do with it.
                }
            }
        }
        arena.close();
    }
}
