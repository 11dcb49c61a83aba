package org.kotekanj.fengine.pcap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Classic pcap framing of F-engine datagrams: the file's global header, each record's header, and the
 * Ethernet/IPv4/UDP headers in front of the UDP payload (42 bytes, the offset CHIME's code counts from). Files are
 * written little-endian with nanosecond timestamps ({@value #MAGIC_NANOS}); the reader also takes microsecond and
 * big-endian files. The UDP checksum is written as 0 ("none", legal over IPv4); the IPv4 header checksum is real so
 * that tshark/tcpdump show the frames as valid.
 *
 * <pre>
 * Global header (24 bytes)           Record header (16 bytes)         Frame (42 bytes, then the UDP payload)
 *  0 magic          u32               0 ts_sec      u32                0 eth dst      6 bytes
 *  4 version_major  u16 (2)           4 ts_frac     u32 (ns or us)     6 eth src      6 bytes
 *  6 version_minor  u16 (4)           8 incl_len    u32               12 ethertype    u16 BE (0x0800)
 *  8 thiszone       i32 (0)          12 orig_len    u32               14 ver/ihl      u8 (0x45)
 * 12 sigfigs        u32 (0)                                           15 tos          u8
 * 16 snaplen        u32                                               16 total_len    u16 BE
 * 20 network        u32 (1: Ethernet)                                 18 id           u16 BE
 *                                                                     20 flags/frag   u16 BE (0x4000: DF)
 *                                                                     22 ttl          u8
 *                                                                     23 protocol     u8 (17: UDP)
 *                                                                     24 checksum     u16 BE
 *                                                                     26 src addr     u32 BE
 *                                                                     30 dst addr     u32 BE
 *                                                                     34 src port     u16 BE
 *                                                                     36 dst port     u16 BE
 *                                                                     38 udp length   u16 BE (8 + payload)
 *                                                                     40 udp checksum u16 BE (0: none)
 *                                                                     42 payload ...
 * </pre>
 * Offsets in the frame are relative to the start of the Ethernet frame (just after the record header); the IPv4
 * offsets assume no IP options, which the writer never emits and the reader handles through {@code ihl}.
 */
public final class PcapDescriptor
{
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAPLEN = 262_144;

    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_MAJOR_OFFSET = 4;
    public static final int VERSION_MINOR_OFFSET = 6;
    public static final int THISZONE_OFFSET = 8;
    public static final int SIGFIGS_OFFSET = 12;
    public static final int SNAPLEN_OFFSET = 16;
    public static final int NETWORK_OFFSET = 20;

    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int TS_SEC_OFFSET = 0;
    public static final int TS_FRAC_OFFSET = 4;
    public static final int INCL_LEN_OFFSET = 8;
    public static final int ORIG_LEN_OFFSET = 12;

    public static final int ETH_DST_OFFSET = 0;
    public static final int ETH_SRC_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int ETH_HEADER_LENGTH = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;

    public static final int IP_OFFSET = ETH_HEADER_LENGTH;
    public static final int IP_VERSION_IHL_OFFSET = IP_OFFSET;
    public static final int IP_TOS_OFFSET = IP_OFFSET + 1;
    public static final int IP_TOTAL_LENGTH_OFFSET = IP_OFFSET + 2;
    public static final int IP_ID_OFFSET = IP_OFFSET + 4;
    public static final int IP_FLAGS_FRAGMENT_OFFSET = IP_OFFSET + 6;
    public static final int IP_TTL_OFFSET = IP_OFFSET + 8;
    public static final int IP_PROTOCOL_OFFSET = IP_OFFSET + 9;
    public static final int IP_CHECKSUM_OFFSET = IP_OFFSET + 10;
    public static final int IP_SRC_OFFSET = IP_OFFSET + 12;
    public static final int IP_DST_OFFSET = IP_OFFSET + 16;
    public static final int IP_HEADER_LENGTH = 20;
    public static final int IP_PROTOCOL_UDP = 17;
    public static final int IP_DONT_FRAGMENT = 0x4000;
    public static final int IP_TTL = 64;

    /** UDP header offsets relative to the start of the UDP header. */
    public static final int UDP_SRC_PORT_OFFSET = 0;
    public static final int UDP_DST_PORT_OFFSET = 2;
    public static final int UDP_LENGTH_OFFSET = 4;
    public static final int UDP_CHECKSUM_OFFSET = 6;
    public static final int UDP_HEADER_LENGTH = 8;

    /** Ethernet + IPv4 (no options) + UDP headers: where the UDP payload starts in a frame the writer made. */
    public static final int FRAME_HEADERS_LENGTH = ETH_HEADER_LENGTH + IP_HEADER_LENGTH + UDP_HEADER_LENGTH;
    /** Largest UDP payload an IPv4 datagram carries. */
    public static final int MAX_UDP_PAYLOAD = 65_535 - IP_HEADER_LENGTH - UDP_HEADER_LENGTH;

    static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PcapDescriptor()
    {
    }

    /**
     * The IPv4 header checksum of the 20..60-byte header at {@code offset} (ones' complement of the ones' complement
     * sum of its 16-bit words, the checksum field itself taken as 0).
     */
    public static int ipv4Checksum(final MemorySegment frame, final long offset, final int headerLength)
    {
        long sum = 0;
        for (int i = 0; i < headerLength; i += 2)
        {
            if (i != IP_CHECKSUM_OFFSET - IP_OFFSET)
            {
                sum += frame.get(U16_BE, offset + i) & 0xFFFF;
            }
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    /**
     * Writes Ethernet, IPv4 and UDP headers for a UDP payload of {@code payloadLength} bytes at {@code offset}
     * (the payload follows at {@code offset + FRAME_HEADERS_LENGTH}).
     */
    public static void writeFrameHeaders(final MemorySegment frame, final long offset, final int payloadLength,
        final int ipId, final int srcAddress, final int srcPort, final int dstAddress, final int dstPort)
    {
        // Locally administered, unicast MACs: 02:00:<addr> of each end, so frames read well in a dissector.
        frame.set(U16_BE, offset + ETH_DST_OFFSET, (short)0x0200);
        frame.set(U32_BE, offset + ETH_DST_OFFSET + 2, dstAddress);
        frame.set(U16_BE, offset + ETH_SRC_OFFSET, (short)0x0200);
        frame.set(U32_BE, offset + ETH_SRC_OFFSET + 2, srcAddress);
        frame.set(U16_BE, offset + ETHERTYPE_OFFSET, (short)ETHERTYPE_IPV4);
        frame.set(ValueLayout.JAVA_BYTE, offset + IP_VERSION_IHL_OFFSET, (byte)0x45);
        frame.set(ValueLayout.JAVA_BYTE, offset + IP_TOS_OFFSET, (byte)0);
        frame.set(U16_BE, offset + IP_TOTAL_LENGTH_OFFSET,
            (short)(IP_HEADER_LENGTH + UDP_HEADER_LENGTH + payloadLength));
        frame.set(U16_BE, offset + IP_ID_OFFSET, (short)ipId);
        frame.set(U16_BE, offset + IP_FLAGS_FRAGMENT_OFFSET, (short)IP_DONT_FRAGMENT);
        frame.set(ValueLayout.JAVA_BYTE, offset + IP_TTL_OFFSET, (byte)IP_TTL);
        frame.set(ValueLayout.JAVA_BYTE, offset + IP_PROTOCOL_OFFSET, (byte)IP_PROTOCOL_UDP);
        frame.set(U16_BE, offset + IP_CHECKSUM_OFFSET, (short)0);
        frame.set(U32_BE, offset + IP_SRC_OFFSET, srcAddress);
        frame.set(U32_BE, offset + IP_DST_OFFSET, dstAddress);
        frame.set(U16_BE, offset + IP_CHECKSUM_OFFSET, (short)ipv4Checksum(frame, offset + IP_OFFSET,
            IP_HEADER_LENGTH));
        final long udp = offset + IP_OFFSET + IP_HEADER_LENGTH;
        frame.set(U16_BE, udp + UDP_SRC_PORT_OFFSET, (short)srcPort);
        frame.set(U16_BE, udp + UDP_DST_PORT_OFFSET, (short)dstPort);
        frame.set(U16_BE, udp + UDP_LENGTH_OFFSET, (short)(UDP_HEADER_LENGTH + payloadLength));
        frame.set(U16_BE, udp + UDP_CHECKSUM_OFFSET, (short)0);
    }

    /** Big-endian unsigned 16-bit field of a frame. */
    public static int u16(final MemorySegment frame, final long offset)
    {
        return frame.get(U16_BE, offset) & 0xFFFF;
    }

    /** Big-endian 32-bit field of a frame (an IPv4 address, most significant byte first). */
    public static int u32(final MemorySegment frame, final long offset)
    {
        return frame.get(U32_BE, offset);
    }
}
