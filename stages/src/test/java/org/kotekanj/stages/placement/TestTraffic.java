package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * Builds F-engine datagrams in memory for placement tests: one packet of a stream at a sample counter, with its
 * payload taken from a signal, plus hand-made malformed ones.
 */
final class TestTraffic implements AutoCloseable
{
    private final Arena arena = Arena.ofConfined();
    private final StreamTable table;
    private final PacketGeometry geometry;
    private final SampleSignal signal;
    private final List<MemorySegment> datagrams = new ArrayList<>();

    TestTraffic(final StreamTable table, final SampleSignal signal)
    {
        this.table = table;
        this.geometry = table.geometry();
        this.signal = signal;
    }

    /** A well-formed packet of stream index {@code stream} at {@code seq}. */
    MemorySegment packet(final int stream, final long seq)
    {
        return packet(table.streams().get(stream).streamId(), stream, seq, geometry.datagramBytes(), 0);
    }

    /** A packet with a chosen stream id, length and flag word (payload from stream index {@code payloadOf}). */
    MemorySegment packet(final int streamId, final int payloadOf, final long seq, final int length, final int flags)
    {
        final MemorySegment datagram = arena.allocate(Math.max(length, 1), 64);
        if (length >= PacketHeaderDescriptor.HEADER_LENGTH)
        {
            PacketHeaderDescriptor.write(datagram, 0, streamId, seq);
        }
        final StreamSpec spec = table.streams().get(payloadOf);
        final int np = geometry.inputsPerPacket();
        if (length >= geometry.datagramBytes() - geometry.footerBytes())
        {
            for (int t = 0; t < geometry.samplesPerPacket(); t++)
            {
                for (int k = 0; k < geometry.freqsPerPacket(); k++)
                {
                    signal.fill(seq + t, spec.freqIds()[k], spec.inputBlock() * np, np, datagram,
                        PacketHeaderDescriptor.PAYLOAD_OFFSET + ((long)t * geometry.freqsPerPacket() + k) * np);
                }
            }
        }
        if (geometry.flagWord() && length >= PacketHeaderDescriptor.FLAG_WORD_FROM_END + 4)
        {
            PacketHeaderDescriptor.writeFlagWord(datagram, 0, length, flags);
        }
        datagrams.add(datagram);
        return datagram;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
