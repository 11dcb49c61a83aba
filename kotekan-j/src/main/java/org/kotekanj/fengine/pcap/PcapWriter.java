package org.kotekanj.fengine.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.kotekanj.fengine.pcap.PcapDescriptor.FRAME_HEADERS_LENGTH;
import static org.kotekanj.fengine.pcap.PcapDescriptor.RECORD_HEADER_LENGTH;

/**
 * Writes UDP datagrams to a classic pcap file (Ethernet, nanosecond timestamps), so that the simulator can record a
 * stream instead of sending it and the receive path, tshark or tcpdump can read it back. Records are staged in one
 * off-heap buffer and written in large blocks: no allocation per datagram.
 */
public final class PcapWriter implements AutoCloseable
{
    private static final int STAGING_BYTES = 1 << 20;
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16_LE =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer staging;
    private final MemorySegment stagingSegment;
    private int staged;
    private int ipId;
    private long records;
    private long bytes;
    private boolean closed;

    private PcapWriter(final Path path, final FileChannel channel)
    {
        this.path = path;
        this.channel = channel;
        this.staging = ByteBuffer.allocateDirect(STAGING_BYTES);
        this.stagingSegment = MemorySegment.ofBuffer(staging);
    }

    /** Creates (or truncates) {@code path} and writes the global header. */
    public static PcapWriter create(final Path path) throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        final PcapWriter writer = new PcapWriter(path, channel);
        final MemorySegment header = writer.stagingSegment;
        header.set(U32_LE, PcapDescriptor.MAGIC_OFFSET, PcapDescriptor.MAGIC_NANOS);
        header.set(U16_LE, PcapDescriptor.VERSION_MAJOR_OFFSET, (short)PcapDescriptor.VERSION_MAJOR);
        header.set(U16_LE, PcapDescriptor.VERSION_MINOR_OFFSET, (short)PcapDescriptor.VERSION_MINOR);
        header.set(U32_LE, PcapDescriptor.THISZONE_OFFSET, 0);
        header.set(U32_LE, PcapDescriptor.SIGFIGS_OFFSET, 0);
        header.set(U32_LE, PcapDescriptor.SNAPLEN_OFFSET, PcapDescriptor.SNAPLEN);
        header.set(U32_LE, PcapDescriptor.NETWORK_OFFSET, PcapDescriptor.LINKTYPE_ETHERNET);
        writer.staged = PcapDescriptor.GLOBAL_HEADER_LENGTH;
        return writer;
    }

    public Path path()
    {
        return path;
    }

    /**
     * Appends one datagram: {@code length} bytes of {@code payload} from {@code offset}, framed as
     * Ethernet/IPv4/UDP from {@code srcAddress:srcPort} to {@code dstAddress:dstPort} (IPv4 addresses as ints, most
     * significant byte first).
     */
    public void write(final long timestampNanos, final MemorySegment payload, final long offset, final int length,
        final int srcAddress, final int srcPort, final int dstAddress, final int dstPort) throws IOException
    {
        if (length < 0 || length > PcapDescriptor.MAX_UDP_PAYLOAD)
        {
            throw new IllegalArgumentException("a UDP payload of " + length + " bytes does not fit an IPv4 datagram");
        }
        final int frameLength = FRAME_HEADERS_LENGTH + length;
        if (staged + RECORD_HEADER_LENGTH + frameLength > STAGING_BYTES)
        {
            flush();
        }
        final long record = staged;
        stagingSegment.set(U32_LE, record + PcapDescriptor.TS_SEC_OFFSET, (int)(timestampNanos / 1_000_000_000L));
        stagingSegment.set(U32_LE, record + PcapDescriptor.TS_FRAC_OFFSET, (int)(timestampNanos % 1_000_000_000L));
        stagingSegment.set(U32_LE, record + PcapDescriptor.INCL_LEN_OFFSET, frameLength);
        stagingSegment.set(U32_LE, record + PcapDescriptor.ORIG_LEN_OFFSET, frameLength);
        final long frame = record + RECORD_HEADER_LENGTH;
        PcapDescriptor.writeFrameHeaders(stagingSegment, frame, length, ipId, srcAddress, srcPort, dstAddress,
            dstPort);
        MemorySegment.copy(payload, offset, stagingSegment, frame + FRAME_HEADERS_LENGTH, length);
        ipId = (ipId + 1) & 0xFFFF;
        staged += RECORD_HEADER_LENGTH + frameLength;
        records++;
        bytes += length;
    }

    /** Datagrams written so far. */
    public long records()
    {
        return records;
    }

    /** UDP payload bytes written so far. */
    public long payloadBytes()
    {
        return bytes;
    }

    public void flush() throws IOException
    {
        staging.clear().limit(staged);
        while (staging.hasRemaining())
        {
            channel.write(staging);
        }
        staged = 0;
    }

    @Override
    public void close() throws IOException
    {
        if (!closed)
        {
            closed = true;
            try
            {
                flush();
            }
            finally
            {
                channel.close();
            }
        }
    }
}
