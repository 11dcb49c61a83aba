package org.kotekanj.sim.packets;

import java.lang.foreign.MemorySegment;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * Writes one F-engine datagram of a stream in place: the header ({@link PacketHeaderDescriptor}), the payload
 * {@code [t][f][n]} from the signal (one {@link SampleSignal#fill} per time sample and frequency: the run of the
 * stream's {@code N_p} inputs) and the flag word. The rest of the footer is never written: slots start zeroed and
 * nothing else touches those bytes, so it stays zero without being rewritten for every packet.
 */
public final class PacketWriter
{
    private final SampleSignal signal;
    private final int samples;
    private final int freqs;
    private final int inputs;
    private final int datagram;
    private final boolean flagWord;
    private final int[][] freqIds;
    private final int[] firstInputs;

    public PacketWriter(final StreamTable table, final SampleSignal signal)
    {
        final PacketGeometry geometry = table.geometry();
        this.signal = signal;
        this.samples = geometry.samplesPerPacket();
        this.freqs = geometry.freqsPerPacket();
        this.inputs = geometry.inputsPerPacket();
        this.datagram = geometry.datagramBytes();
        this.flagWord = geometry.flagWord();
        this.freqIds = new int[table.streams().size()][];
        this.firstInputs = new int[table.streams().size()];
        for (int i = 0; i < freqIds.length; i++)
        {
            final StreamSpec stream = table.streams().get(i);
            freqIds[i] = stream.freqIds().clone();
            firstInputs[i] = stream.inputBlock() * inputs;
        }
    }

    public int samplesPerPacket()
    {
        return samples;
    }

    /** The datagram length of a healthy packet. */
    public int datagramBytes()
    {
        return datagram;
    }

    /**
     * Writes stream {@code streamIndex}'s packet for {@code seq} at {@code offset}, with {@code wireStreamId} in
     * the header (the stream's own id, or another to simulate a mis-cabled link) and {@code flags} in the flag word
     * (if the geometry has one).
     */
    public void write(final MemorySegment dst, final long offset, final int streamIndex, final long seq,
        final int wireStreamId, final int flags)
    {
        PacketHeaderDescriptor.write(dst, offset, wireStreamId, seq & PacketHeaderDescriptor.SEQ_MASK);
        final int[] ids = freqIds[streamIndex];
        final int firstInput = firstInputs[streamIndex];
        long at = offset + PacketHeaderDescriptor.PAYLOAD_OFFSET;
        for (int t = 0; t < samples; t++)
        {
            for (int k = 0; k < freqs; k++)
            {
                signal.fill(seq + t, ids[k], firstInput, inputs, dst, at);
                at += inputs;
            }
        }
        if (flagWord)
        {
            PacketHeaderDescriptor.writeFlagWord(dst, offset, datagram, flags);
        }
    }
}
