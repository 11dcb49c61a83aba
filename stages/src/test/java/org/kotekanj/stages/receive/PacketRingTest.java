package org.kotekanj.stages.receive;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kotekanj.stages.receive.PacketRingDescriptor.*;

/** The TPACKET_V3 ring walk on a ring laid out in ordinary memory, as the kernel would fill it. */
class PacketRingTest
{
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 4;
    private static final int PORT = 15000;

    @Test
    void shouldGiveBackABlockWithNothingForUsAndGoOnToTheNext()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ring = arena.allocate((long)BLOCK * BLOCKS, 4096);
            // Block 0 holds only datagrams the stage does not want (another port, not UDP); block 1 holds ours.
            fillBlock(ring, 0, new int[] {PORT + 7, -1});
            fillBlock(ring, 1, new int[] {PORT, PORT});
            final PacketRing walker = new PacketRing(ring, BLOCK, BLOCKS, new int[] {PORT});
            final PacketBatch batch = new PacketBatch(64);
            int received = 0;
            for (int poll = 0; poll < 10 && received == 0; poll++)
            {
                // As the receive stage does: a poll with nothing to place is not followed by release.
                received = walker.poll(batch);
                if (received > 0)
                {
                    walker.release(batch);
                }
            }
            assertEquals(2, received, "the ring moved on past the block that had nothing for us");
            assertEquals(TP_STATUS_KERNEL, ring.get(JAVA_INT, BLOCK_STATUS_OFFSET), "block 0 back to the kernel");
            assertEquals(TP_STATUS_KERNEL, ring.get(JAVA_INT, BLOCK + BLOCK_STATUS_OFFSET), "block 1 back too");
            assertEquals(24, batch.length(0));
        }
    }

    @Test
    void shouldHandOutABlockLargerThanABatchAcrossPolls()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ring = arena.allocate((long)BLOCK * BLOCKS, 4096);
            final int[] ports = new int[20];
            java.util.Arrays.fill(ports, PORT);
            fillBlock(ring, 0, ports);
            final PacketRing walker = new PacketRing(ring, BLOCK, BLOCKS, new int[] {PORT});
            final PacketBatch batch = new PacketBatch(8);
            int total = 0;
            for (int poll = 0; poll < 10; poll++)
            {
                final int received = walker.poll(batch);
                total += received;
                if (received > 0)
                {
                    walker.release(batch);
                }
            }
            assertEquals(20, total);
            assertEquals(TP_STATUS_KERNEL, ring.get(JAVA_INT, BLOCK_STATUS_OFFSET));
        }
    }

    /** Writes a ready block of packets, one per entry: a UDP datagram to that port, or (-1) an IPv4 TCP packet. */
    private static void fillBlock(final MemorySegment ring, final int block, final int[] ports)
    {
        final long base = (long)block * BLOCK;
        final int packetLength = 128;
        ring.set(JAVA_INT, base + BLOCK_NUM_PKTS_OFFSET, ports.length);
        ring.set(JAVA_INT, base + BLOCK_FIRST_PKT_OFFSET, 48);
        for (int i = 0; i < ports.length; i++)
        {
            final long packet = base + 48 + (long)i * packetLength;
            final int mac = 32;
            final int net = mac + 14;
            ring.set(JAVA_INT, packet + PKT_NEXT_OFFSET, i + 1 < ports.length ? packetLength : 0);
            ring.set(JAVA_INT, packet + PKT_SNAPLEN_OFFSET, 14 + 20 + 8 + 24);
            ring.set(JAVA_SHORT, packet + PKT_MAC_OFFSET, (short)mac);
            ring.set(JAVA_SHORT, packet + PKT_NET_OFFSET, (short)net);
            final long ip = packet + net;
            ring.set(JAVA_BYTE, ip, (byte)0x45);
            ring.set(JAVA_BYTE, ip + IPV4_PROTOCOL_OFFSET, (byte)(ports[i] < 0 ? 6 : IPV4_PROTOCOL_UDP));
            final long udp = ip + 20;
            ring.set(JAVA_SHORT, udp + UDP_DST_PORT_OFFSET, Short.reverseBytes((short)Math.max(0, ports[i])));
            ring.set(JAVA_SHORT, udp + UDP_LENGTH_OFFSET, Short.reverseBytes((short)(8 + 24)));
        }
        ring.set(JAVA_INT, base + BLOCK_STATUS_OFFSET, TP_STATUS_USER);
    }
}
