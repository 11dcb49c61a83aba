package org.kotekanj.fengine.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.kotekanj.log.Log;

import static org.kotekanj.fengine.pcap.PcapDescriptor.RECORD_HEADER_LENGTH;

/**
 * Reads the UDP/IPv4 datagrams of a classic pcap file (Ethernet link type; either byte order; microsecond or
 * nanosecond timestamps) one at a time, in place: after {@link #next()} the datagram's payload lies in
 * {@link #segment()} at {@link #payloadOffset()}, valid until the next call. This is how the receive path replays a
 * recorded stream: same bytes, no network. Frames that are not unfragmented UDP over IPv4 are skipped and counted.
 */
public final class PcapReader implements AutoCloseable
{
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int MAX_RECORD = BUFFER_BYTES - RECORD_HEADER_LENGTH;

    private final Log log = Log.of("pcap");
    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private final ValueLayout.OfInt u32;
    private final boolean nanos;
    private int position;
    private int limit;
    private boolean endOfFile;
    private long skipped;
    private long truncatedRecords;
    private long records;
    private long timestampNanos;
    private int srcAddress;
    private int srcPort;
    private int dstAddress;
    private int dstPort;
    private long payloadOffset;
    private int payloadLength;
    private boolean captureTruncated;

    private PcapReader(final Path path, final FileChannel channel, final ByteBuffer buffer, final ByteOrder order,
        final boolean nanos)
    {
        this.path = path;
        this.channel = channel;
        this.buffer = buffer;
        this.segment = MemorySegment.ofBuffer(buffer.duplicate().clear());
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.nanos = nanos;
    }

    /** Opens a file and checks its global header; throws naming the file and what is wrong with it. */
    public static PcapReader open(final Path path) throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            buffer.limit(PcapDescriptor.GLOBAL_HEADER_LENGTH);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0)
            {
                Thread.onSpinWait();
            }
            if (buffer.hasRemaining())
            {
                throw new IOException(path + ": not a pcap file (shorter than its 24-byte header)");
            }
            final int magic = buffer.order(ByteOrder.LITTLE_ENDIAN).getInt(PcapDescriptor.MAGIC_OFFSET);
            final ByteOrder order;
            if (magic == PcapDescriptor.MAGIC_MICROS || magic == PcapDescriptor.MAGIC_NANOS)
            {
                order = ByteOrder.LITTLE_ENDIAN;
            }
            else if (Integer.reverseBytes(magic) == PcapDescriptor.MAGIC_MICROS ||
                Integer.reverseBytes(magic) == PcapDescriptor.MAGIC_NANOS)
            {
                order = ByteOrder.BIG_ENDIAN;
            }
            else
            {
                throw new IOException(path + ": not a classic pcap file (magic 0x" + Integer.toHexString(magic) +
                    "; pcapng is not supported: convert with editcap -F pcap)");
            }
            buffer.order(order);
            final boolean nanos = (order == ByteOrder.LITTLE_ENDIAN ? magic : Integer.reverseBytes(magic)) ==
                PcapDescriptor.MAGIC_NANOS;
            final int network = buffer.getInt(PcapDescriptor.NETWORK_OFFSET);
            if (network != PcapDescriptor.LINKTYPE_ETHERNET)
            {
                throw new IOException(path + ": link type " + network + " is not supported (only " +
                    PcapDescriptor.LINKTYPE_ETHERNET + ", Ethernet)");
            }
            buffer.order(ByteOrder.BIG_ENDIAN);
            final PcapReader reader = new PcapReader(path, channel, buffer, order, nanos);
            reader.position = 0;
            reader.limit = 0;
            return reader;
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
    }

    /**
     * Advances to the next UDP/IPv4 datagram.
     *
     * @return false at the end of the file. A record cut short by the end of the file (a capture stopped or copied
     *     mid-write) also ends it, with one warning, and is counted in {@link #truncatedRecords()}.
     */
    public boolean next() throws IOException
    {
        while (true)
        {
            if (!ensure(RECORD_HEADER_LENGTH))
            {
                return cutShort(RECORD_HEADER_LENGTH);
            }
            final int inclLen = segment.get(u32, position + PcapDescriptor.INCL_LEN_OFFSET);
            final int origLen = segment.get(u32, position + PcapDescriptor.ORIG_LEN_OFFSET);
            if (inclLen < 0 || inclLen > MAX_RECORD)
            {
                throw new IOException(path + ": record " + records + " claims " + (inclLen & 0xFFFF_FFFFL) +
                    " captured bytes; the file is corrupt");
            }
            if (!ensure(RECORD_HEADER_LENGTH + inclLen))
            {
                return cutShort(RECORD_HEADER_LENGTH + inclLen);
            }
            final long seconds = segment.get(u32, position + PcapDescriptor.TS_SEC_OFFSET) & 0xFFFF_FFFFL;
            final long fraction = segment.get(u32, position + PcapDescriptor.TS_FRAC_OFFSET) & 0xFFFF_FFFFL;
            timestampNanos = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
            final int frame = position + RECORD_HEADER_LENGTH;
            position = frame + inclLen;
            records++;
            if (parseUdp(frame, inclLen, origLen))
            {
                return true;
            }
            skipped++;
        }
    }

    private boolean parseUdp(final int frame, final int inclLen, final int origLen)
    {
        if (inclLen < PcapDescriptor.ETH_HEADER_LENGTH + PcapDescriptor.IP_HEADER_LENGTH ||
            PcapDescriptor.u16(segment, frame + PcapDescriptor.ETHERTYPE_OFFSET) != PcapDescriptor.ETHERTYPE_IPV4)
        {
            return false;
        }
        final int versionIhl = segment.get(ValueLayout.JAVA_BYTE, frame + PcapDescriptor.IP_VERSION_IHL_OFFSET);
        final int ihl = (versionIhl & 0x0F) * 4;
        final int fragment = PcapDescriptor.u16(segment, frame + PcapDescriptor.IP_FLAGS_FRAGMENT_OFFSET);
        if ((versionIhl & 0xF0) != 0x40 || ihl < PcapDescriptor.IP_HEADER_LENGTH ||
            segment.get(ValueLayout.JAVA_BYTE, frame + PcapDescriptor.IP_PROTOCOL_OFFSET) !=
                PcapDescriptor.IP_PROTOCOL_UDP ||
            (fragment & 0x3FFF) != 0)
        {
            return false;
        }
        final int udp = frame + PcapDescriptor.IP_OFFSET + ihl;
        if (udp + PcapDescriptor.UDP_HEADER_LENGTH > frame + inclLen)
        {
            return false;
        }
        srcAddress = PcapDescriptor.u32(segment, frame + PcapDescriptor.IP_SRC_OFFSET);
        dstAddress = PcapDescriptor.u32(segment, frame + PcapDescriptor.IP_DST_OFFSET);
        srcPort = PcapDescriptor.u16(segment, udp + PcapDescriptor.UDP_SRC_PORT_OFFSET);
        dstPort = PcapDescriptor.u16(segment, udp + PcapDescriptor.UDP_DST_PORT_OFFSET);
        final int udpLength = PcapDescriptor.u16(segment, udp + PcapDescriptor.UDP_LENGTH_OFFSET);
        if (udpLength < PcapDescriptor.UDP_HEADER_LENGTH)
        {
            return false;
        }
        payloadOffset = udp + PcapDescriptor.UDP_HEADER_LENGTH;
        final int captured = frame + inclLen - (int)payloadOffset;
        payloadLength = Math.min(udpLength - PcapDescriptor.UDP_HEADER_LENGTH, captured);
        captureTruncated = payloadLength < udpLength - PcapDescriptor.UDP_HEADER_LENGTH || inclLen < origLen;
        return true;
    }

    /** At the end of the file: warns once about a partial record left in the buffer; always returns false. */
    private boolean cutShort(final int wanted)
    {
        final int left = limit - position;
        if (left > 0 && truncatedRecords == 0)
        {
            truncatedRecords = 1;
            log.warn(path + ": the file ends inside record " + records + " (" + left + " of " + wanted +
                " bytes; cut short; read the " + records + " whole records before it)");
        }
        return false;
    }

    /** Makes {@code bytes} from {@link #position} available in the buffer; false at the end of the file. */
    private boolean ensure(final int bytes) throws IOException
    {
        if (limit - position >= bytes)
        {
            return true;
        }
        if (endOfFile)
        {
            return false;
        }
        buffer.limit(limit).position(position);
        buffer.compact();
        while (buffer.position() < bytes && !endOfFile)
        {
            if (channel.read(buffer) < 0)
            {
                endOfFile = true;
            }
        }
        limit = buffer.position();
        position = 0;
        return limit >= bytes;
    }

    /** The buffer the current datagram lies in. */
    public MemorySegment segment()
    {
        return segment;
    }

    /** Where the current datagram's UDP payload starts in {@link #segment()}. */
    public long payloadOffset()
    {
        return payloadOffset;
    }

    /** UDP payload bytes of the current datagram (as captured). */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** True if the capture holds fewer bytes than the datagram had (snap length). */
    public boolean captureTruncated()
    {
        return captureTruncated;
    }

    public long timestampNanos()
    {
        return timestampNanos;
    }

    /** IPv4 source address, most significant byte first. */
    public int sourceAddress()
    {
        return srcAddress;
    }

    public int sourcePort()
    {
        return srcPort;
    }

    /** IPv4 destination address, most significant byte first. */
    public int destinationAddress()
    {
        return dstAddress;
    }

    public int destinationPort()
    {
        return dstPort;
    }

    /** Records read so far, datagrams or not. */
    public long records()
    {
        return records;
    }

    /** Records cut short by the end of the file (0 or 1): a capture that was stopped or copied mid-write. */
    public long truncatedRecords()
    {
        return truncatedRecords;
    }

    /** Records that were not unfragmented UDP over IPv4. */
    public long skipped()
    {
        return skipped;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
