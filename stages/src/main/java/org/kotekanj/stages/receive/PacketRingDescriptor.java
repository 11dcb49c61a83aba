package org.kotekanj.stages.receive;

/**
 * The kernel structures of an AF_PACKET {@code TPACKET_V3} receive ring (linux/if_packet.h, x86-64), as offsets.
 *
 * <pre>
 * struct tpacket_block_desc                      struct tpacket3_hdr (one per packet in a block)
 *   0  u32 version                                 0  u32 tp_next_offset
 *   4  u32 offset_to_priv                          4  u32 tp_sec
 *   8  u32 block_status   (TP_STATUS_USER = 1)     8  u32 tp_nsec
 *  12  u32 num_pkts                               12  u32 tp_snaplen
 *  16  u32 offset_to_first_pkt                    16  u32 tp_len
 *  20  u32 blk_len                                20  u32 tp_status
 *  24  u64 seq_num                                24  u16 tp_mac
 *                                                 26  u16 tp_net
 * struct tpacket_req3 (setsockopt PACKET_RX_RING)
 *   0 block_size  4 block_nr  8 frame_size  12 frame_nr  16 retire_blk_tov  20 sizeof_priv  24 feature_req_word
 *
 * struct tpacket_stats_v3 (getsockopt PACKET_STATISTICS; reading resets it)
 *   0 tp_packets  4 tp_drops  8 tp_freeze_q_cnt
 * </pre>
 */
public final class PacketRingDescriptor
{
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int ETH_P_ALL_NETWORK_ORDER = 0x0300;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_IGNORE_OUTGOING = 23;
    public static final int TPACKET_V3 = 2;
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;

    public static final int BLOCK_STATUS_OFFSET = 8;
    public static final int BLOCK_NUM_PKTS_OFFSET = 12;
    public static final int BLOCK_FIRST_PKT_OFFSET = 16;

    public static final int PKT_NEXT_OFFSET = 0;
    public static final int PKT_SNAPLEN_OFFSET = 12;
    public static final int PKT_MAC_OFFSET = 24;
    public static final int PKT_NET_OFFSET = 26;

    public static final int REQ_LENGTH = 28;
    public static final int STATS_LENGTH = 12;
    public static final int STATS_DROPS_OFFSET = 4;

    /** struct sockaddr_ll: family 0, protocol 2, ifindex 4, hatype 8, pkttype 10, halen 11, addr 12; 20 bytes. */
    public static final int SOCKADDR_LL_LENGTH = 20;

    /** IPv4 and UDP within the captured frame. */
    public static final int IPV4_PROTOCOL_OFFSET = 9;
    public static final int IPV4_PROTOCOL_UDP = 17;
    public static final int UDP_DST_PORT_OFFSET = 2;
    public static final int UDP_LENGTH_OFFSET = 4;
    public static final int UDP_HEADER_LENGTH = 8;

    private PacketRingDescriptor()
    {
    }
}
