package org.kotekanj.fengine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Layout of an F-engine packet (one UDP datagram; {@code shared/specs/fengine-packets.md}), little-endian, offsets
 * from the start of the UDP payload. CHIME's code counts from the Ethernet frame: add 42.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          reserved0            |   stream_id (crate.slot.link) |  0
 *  +-------------------------------+-------------------------------+
 *  |                          reserved1                            |  4
 *  +-------------------------------+-------------------------------+
 *  |      seq_hi (bits 32-47)      |          reserved2            |  8
 *  +-------------------------------+-------------------------------+
 *  |                     seq_lo (bits 0-31)                        | 12
 *  +---------------------------------------------------------------+
 *  |   payload [t][f][n], S x F_p x N_p bytes of 4+4-bit samples  ... 16
 *  +---------------------------------------------------------------+
 *  |   footer (footer_bytes; u32 error flags at len - 6 if any)   ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PacketHeaderDescriptor
{
    public static final int RESERVED0_OFFSET = 0;
    public static final int STREAM_ID_OFFSET = 2;
    public static final int RESERVED1_OFFSET = 4;
    public static final int SEQ_HI_OFFSET = 8;
    public static final int RESERVED2_OFFSET = 10;
    public static final int SEQ_LO_OFFSET = 12;
    public static final int HEADER_LENGTH = 16;
    public static final int PAYLOAD_OFFSET = HEADER_LENGTH;
    /** The flag word sits this many bytes before the end of the datagram. */
    public static final int FLAG_WORD_FROM_END = 6;
    /** {@code seq} is a 48-bit counter. */
    public static final long SEQ_MASK = (1L << 48) - 1;
    /** Default {@code flag_reject_mask}: missing/short, long, CRC and FIFO overflow, for both stages. */
    public static final int DEFAULT_FLAG_REJECT_MASK = 0x70000700;
    /** The fill value of lost samples (0 + 0i in 4+4-bit offset binary). */
    public static final byte FILL = (byte)0x88;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PacketHeaderDescriptor()
    {
    }

    public static int streamId(final MemorySegment packet, final long offset)
    {
        return packet.get(U16, offset + STREAM_ID_OFFSET) & 0xFFFF;
    }

    public static long seq(final MemorySegment packet, final long offset)
    {
        final long hi = packet.get(U16, offset + SEQ_HI_OFFSET) & 0xFFFFL;
        final long lo = packet.get(U32, offset + SEQ_LO_OFFSET) & 0xFFFF_FFFFL;
        return hi << 32 | lo;
    }

    /** The u32 flag word of a datagram of {@code length} bytes. */
    public static int flagWord(final MemorySegment packet, final long offset, final int length)
    {
        return packet.get(U32, offset + length - FLAG_WORD_FROM_END);
    }

    /** Writes a header as the simulator does (reserved fields zero). */
    public static void write(final MemorySegment packet, final long offset, final int streamId, final long seq)
    {
        packet.set(U16, offset + RESERVED0_OFFSET, (short)0);
        packet.set(U16, offset + STREAM_ID_OFFSET, (short)streamId);
        packet.set(U32, offset + RESERVED1_OFFSET, 0);
        packet.set(U16, offset + SEQ_HI_OFFSET, (short)(seq >>> 32));
        packet.set(U16, offset + RESERVED2_OFFSET, (short)0);
        packet.set(U32, offset + SEQ_LO_OFFSET, (int)seq);
    }

    public static void writeFlagWord(final MemorySegment packet, final long offset, final int length, final int flags)
    {
        packet.set(U32, offset + length - FLAG_WORD_FROM_END, flags);
    }
}
