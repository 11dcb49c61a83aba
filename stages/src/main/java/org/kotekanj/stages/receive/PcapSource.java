package org.kotekanj.stages.receive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

import org.kotekanj.fengine.pcap.PcapReader;

/**
 * Replays a pcap recording (e.g. one the simulator wrote) through the receive path: the same bytes as on the wire,
 * deterministic, no sockets. Each datagram's link is the index of its UDP destination port in {@code ports} (link 0
 * when the list is empty or the port is not in it). The source is exhausted at the end of the file, which lets a
 * pipeline drain and stop by itself.
 */
public final class PcapSource implements PacketSource
{
    private final Path file;
    private final PcapReader reader;
    private final int[] ports;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment slots;
    private final int slotSize;
    private boolean exhausted;

    public PcapSource(final Path file, final int[] ports, final int batchCapacity, final int slotSize)
    {
        this.file = file;
        this.ports = ports.clone();
        this.slotSize = slotSize;
        try
        {
            this.reader = PcapReader.open(file);
        }
        catch (final IOException e)
        {
            arena.close();
            throw new UncheckedIOException("cannot replay " + file + ": " + e.getMessage(), e);
        }
        this.slots = arena.allocate((long)batchCapacity * slotSize, 64);
    }

    @Override
    public int poll(final PacketBatch batch)
    {
        batch.clear();
        try
        {
            while (batch.count() < batch.capacity() && !exhausted)
            {
                if (!reader.next())
                {
                    exhausted = true;
                    break;
                }
                final int length = Math.min(reader.payloadLength(), slotSize);
                final long slot = (long)batch.count() * slotSize;
                MemorySegment.copy(reader.segment(), reader.payloadOffset(), slots, slot, length);
                batch.add(slots.address() + slot, length, link(reader.destinationPort()));
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        return batch.count();
    }

    private int link(final int port)
    {
        for (int i = 0; i < ports.length; i++)
        {
            if (ports[i] == port)
            {
                return i;
            }
        }
        return 0;
    }

    @Override
    public boolean isRecorded()
    {
        return true;
    }

    @Override
    public boolean isExhausted()
    {
        return exhausted;
    }

    @Override
    public String describe()
    {
        return "pcap replay of " + file + (exhausted ? " (done, " + reader.records() + " records)" : "");
    }

    @Override
    public void close()
    {
        try
        {
            reader.close();
        }
        catch (final IOException e)
        {
            // Replay finished; nothing to recover.
        }
        arena.close();
    }
}
