package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;

/**
 * The first half of placement, a pure function of one datagram: is it well-formed for this node, and if so which
 * stream and sample counter does it carry. Reads the header in place (the datagram is still hot in cache) and never
 * writes anything.
 *
 * <p>{@link #classify} returns the stream index of a packet to place (its full 48-bit sample counter is then
 * {@link #seq()}), or a negative reject code.
 */
public final class PacketClassifier
{
    public static final int BAD_LENGTH = -1;
    public static final int FLAGS = -2;
    public static final int UNKNOWN_STREAM = -3;
    public static final int OUT_OF_RANGE = -4;

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final PlacementPlan plan;
    private final int datagramBytes;
    private final boolean flagWord;
    private final int rejectMask;
    private final long packetMask;
    private final long samplesPerPacket;
    private long seq;

    public PacketClassifier(final PlacementPlan plan)
    {
        this.plan = plan;
        final PacketGeometry geometry = plan.geometry();
        this.datagramBytes = geometry.datagramBytes();
        this.flagWord = geometry.flagWord();
        this.rejectMask = geometry.flagRejectMask();
        this.samplesPerPacket = geometry.samplesPerPacket();
        this.packetMask = Long.bitCount(samplesPerPacket) == 1 ? samplesPerPacket - 1 : -1;
    }

    /**
     * @param address absolute address of the datagram's first byte.
     * @param length  datagram length as received.
     */
    public int classify(final long address, final int length)
    {
        if (length != datagramBytes)
        {
            return BAD_LENGTH;
        }
        final int stream = plan.streamIndex(PacketHeaderDescriptor.streamId(ALL, address));
        if (stream < 0)
        {
            return UNKNOWN_STREAM;
        }
        if (flagWord && (PacketHeaderDescriptor.flagWord(ALL, address, length) & rejectMask) != 0)
        {
            return FLAGS;
        }
        final long seq = PacketHeaderDescriptor.seq(ALL, address);
        if (packetMask >= 0 ? (seq & packetMask) != 0 : seq % samplesPerPacket != 0)
        {
            return OUT_OF_RANGE;
        }
        this.seq = seq;
        return stream;
    }

    /** The sample counter of the packet last classified as placeable. */
    public long seq()
    {
        return seq;
    }

    /** The stream index of a datagram long enough to carry a header, or -1 (for attributing rejects). */
    public int streamOf(final long address, final int length)
    {
        return length >= PacketHeaderDescriptor.HEADER_LENGTH ?
            plan.streamIndex(PacketHeaderDescriptor.streamId(ALL, address)) : -1;
    }
}
