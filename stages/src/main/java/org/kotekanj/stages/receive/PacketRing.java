package org.kotekanj.stages.receive;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.kotekanj.stages.receive.PacketRingDescriptor.*;

/**
 * Walks an AF_PACKET {@code TPACKET_V3} ring shared with the kernel (the memory only: {@link AfPacketSource} owns
 * the socket): reads a block's status word, hands out the UDP payloads of the configured ports in place, and gives
 * each block back to the kernel once every packet in it has been handed out and placed.
 */
final class PacketRing
{
    private final MemorySegment ring;
    private final int blockSize;
    private final int blockCount;
    private final int[] ports;
    private int block;
    private int packetsLeft;
    private long packetAddress;
    private boolean blockHeld;

    PacketRing(final MemorySegment ring, final int blockSize, final int blockCount, final int[] ports)
    {
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.ports = ports.clone();
    }

    /**
     * Hands out the next payloads for us. A block whose packets have all been handed out is given back here too (its
     * batch was placed before this poll), and a block with nothing for us is given back at once: whatever the filter
     * lets through, the ring never stalls.
     */
    int poll(final PacketBatch batch)
    {
        batch.clear();
        for (int blocks = 0; blocks < blockCount; blocks++)
        {
            if (blockHeld && packetsLeft == 0)
            {
                giveBack();
            }
            if (!blockHeld)
            {
                final long blockBase = (long)block * blockSize;
                if ((ring.get(JAVA_INT, blockBase + BLOCK_STATUS_OFFSET) & TP_STATUS_USER) == 0)
                {
                    return 0;
                }
                java.lang.invoke.VarHandle.acquireFence();
                blockHeld = true;
                packetsLeft = ring.get(JAVA_INT, blockBase + BLOCK_NUM_PKTS_OFFSET);
                packetAddress = blockBase + ring.get(JAVA_INT, blockBase + BLOCK_FIRST_PKT_OFFSET);
            }
            while (packetsLeft > 0 && batch.count() < batch.capacity())
            {
                final long packet = packetAddress;
                packetsLeft--;
                packetAddress = packet + ring.get(JAVA_INT, packet + PKT_NEXT_OFFSET);
                accept(packet, batch);
            }
            if (batch.count() > 0)
            {
                return batch.count();
            }
        }
        return 0;
    }

    private void accept(final long packet, final PacketBatch batch)
    {
        final long ip = packet + (ring.get(JAVA_SHORT, packet + PKT_NET_OFFSET) & 0xFFFF);
        if (ring.get(JAVA_BYTE, ip + IPV4_PROTOCOL_OFFSET) != IPV4_PROTOCOL_UDP || (ring.get(JAVA_BYTE, ip) & 0xF0) != 0x40)
        {
            return;
        }
        final long udp = ip + (ring.get(JAVA_BYTE, ip) & 0x0F) * 4L;
        final int port = Short.reverseBytes(ring.get(JAVA_SHORT, udp + UDP_DST_PORT_OFFSET)) & 0xFFFF;
        for (int link = 0; link < ports.length; link++)
        {
            if (ports[link] == port)
            {
                final int udpLength = Short.reverseBytes(ring.get(JAVA_SHORT, udp + UDP_LENGTH_OFFSET)) & 0xFFFF;
                final long captured = packet + ring.get(JAVA_INT, packet + PKT_SNAPLEN_OFFSET) +
                    (ring.get(JAVA_SHORT, packet + PKT_MAC_OFFSET) & 0xFFFF);
                final int length = (int)Math.min(udpLength - UDP_HEADER_LENGTH, captured - udp - UDP_HEADER_LENGTH);
                batch.add(ring.address() + udp + UDP_HEADER_LENGTH, Math.max(0, length), link);
                return;
            }
        }
    }

    /** The batch is placed: gives its block back if every packet of it has been handed out. */
    void release(final PacketBatch batch)
    {
        if (blockHeld && packetsLeft == 0)
        {
            giveBack();
        }
    }

    private void giveBack()
    {
        java.lang.invoke.VarHandle.releaseFence();
        ring.set(JAVA_INT, (long)block * blockSize + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        blockHeld = false;
        block = block + 1 == blockCount ? 0 : block + 1;
    }
}
