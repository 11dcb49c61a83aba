package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;

/**
 * The first half of placement, a pure function of one datagram: is it well-formed for this node, and if so which
 * stream and sample counter does it carry. Reads the header in place (the datagram is still hot in cache) and never
 * writes anything.
 *
 * <p>{@link #classify} returns {@code seq << 16 | streamIndex} for a packet to place, or a negative reject code.
 */
public final class PacketClassifier
{
    public static final long BAD_LENGTH = -1;
    public static final long FLAGS = -2;
    public static final long UNKNOWN_STREAM = -3;
    public static final long OUT_OF_RANGE = -4;

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final PlacementPlan plan;
    private final int datagramBytes;
    private final boolean flagWord;
    private final int rejectMask;
    private final long packetMask;
    private final long samplesPerPacket;

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
    public long classify(final long address, final int length)
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
        return seq << 16 | stream;
    }

    /** The stream index of a datagram long enough to carry a header, or -1 (for attributing rejects). */
    public int streamOf(final long address, final int length)
    {
        return length >= PacketHeaderDescriptor.HEADER_LENGTH ?
            plan.streamIndex(PacketHeaderDescriptor.streamId(ALL, address)) : -1;
    }

    public static long seq(final long classified)
    {
        return classified >>> 16;
    }

    public static int stream(final long classified)
    {
        return (int)(classified & 0xFFFF);
    }
}
