package org.kotekanj.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import static org.kotekanj.nativeio.MmsgHeaderDescriptor.IOVEC_LENGTH;
import static org.kotekanj.nativeio.MmsgHeaderDescriptor.MMSGHDR_LENGTH;
import static org.kotekanj.nativeio.MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH;

/**
 * A reusable off-heap batch for {@code sendmmsg}/{@code recvmmsg}: up to {@value #MAX_MESSAGES} {@code mmsghdr}
 * entries, each with one iovec pointing at its slot of one page-aligned buffer, its own {@code sockaddr_in} and,
 * optionally, its own control buffer. Everything is wired once at construction, so a send or receive touches only
 * lengths and flags: no allocation, no copies between Java and native memory.
 *
 * <p>Sending: write datagram {@code i} at {@link #slotOffset(int)} of {@link #buffer()}, set its length with
 * {@link #setLength(int, int)}, then {@link UdpSocket#send(MmsgBatch, int, int)}. Receiving:
 * {@link UdpSocket#receive(MmsgBatch, int)} resets the entries, and afterwards {@link #receivedLength(int)},
 * {@link #isTruncated(int)} describes datagram {@code i}.
 *
 * <p>Segmented sends ({@link UdpSocket#sendSegmented(MmsgBatch, int, int)}, UDP GSO) use a second array of
 * {@code mmsghdr} entries over the same iovecs: each message covers a run of slots of equal length with a
 * {@code UDP_SEGMENT} control message, and the kernel splits it back into those datagrams.
 *
 * <p>One thread uses a batch at a time; the memory is freed by {@link #close()}.
 */
public final class MmsgBatch implements AutoCloseable
{
    /** Most messages one call moves (Kotekan's and fpeer's batch; {@code UIO_MAXIOV} allows more). */
    public static final int MAX_MESSAGES = 64;
    /** Slot alignment: slots start on cache lines. */
    public static final int SLOT_ALIGNMENT = 64;

    /** Most datagrams the kernel splits one segmented message into ({@code UDP_MAX_SEGMENTS}). */
    public static final int MAX_SEGMENTS = 64;
    /** Most bytes one segmented message carries: a UDP datagram's limit over IPv4. */
    public static final int MAX_SEGMENTED_BYTES = 65_507;

    private static final long PAGE = 4096;
    private static final int SEGMENT_CONTROL_BYTES = MmsgHeaderDescriptor.cmsgSpace(Short.BYTES);

    private final int capacity;
    private final int slotBytes;
    private final int slotStride;
    private final int controlBytes;
    private final Arena arena;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment control;
    private final MemorySegment buffer;
    private final MemorySegment segmentHeaders;
    private final MemorySegment segmentControl;
    private final int[] segmentCounts;

    /**
     * @param capacity     messages, 1..{@value #MAX_MESSAGES}.
     * @param slotBytes    the largest datagram a slot holds (received datagrams longer than this are truncated).
     * @param controlBytes control buffer per message, for control messages a socket option asks the kernel to
     *                     attach (0 for none).
     */
    public MmsgBatch(final int capacity, final int slotBytes, final int controlBytes)
    {
        if (capacity < 1 || capacity > MAX_MESSAGES)
        {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_MESSAGES + " messages, not " + capacity);
        }
        if (slotBytes < 1)
        {
            throw new IllegalArgumentException("slotBytes must be positive: " + slotBytes);
        }
        if (controlBytes < 0)
        {
            throw new IllegalArgumentException("controlBytes must not be negative: " + controlBytes);
        }
        this.capacity = capacity;
        this.slotBytes = slotBytes;
        this.slotStride = (slotBytes + SLOT_ALIGNMENT - 1) / SLOT_ALIGNMENT * SLOT_ALIGNMENT;
        this.controlBytes = (controlBytes + 7) & -8;
        this.arena = Arena.ofShared();
        this.headers = arena.allocate((long)MMSGHDR_LENGTH * capacity, SLOT_ALIGNMENT);
        this.iovecs = arena.allocate((long)IOVEC_LENGTH * capacity, SLOT_ALIGNMENT);
        this.names = arena.allocate((long)SOCKADDR_IN_LENGTH * capacity, SLOT_ALIGNMENT);
        this.control = this.controlBytes == 0 ? MemorySegment.NULL :
            arena.allocate((long)this.controlBytes * capacity, SLOT_ALIGNMENT);
        this.buffer = arena.allocate((long)slotStride * capacity, PAGE);
        this.segmentHeaders = arena.allocate((long)MMSGHDR_LENGTH * capacity, SLOT_ALIGNMENT);
        this.segmentControl = arena.allocate((long)SEGMENT_CONTROL_BYTES * capacity, SLOT_ALIGNMENT);
        this.segmentCounts = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            MmsgHeaderDescriptor.iov(iovecs, (long)i * IOVEC_LENGTH, buffer.address() + slotOffset(i), slotBytes);
            MmsgHeaderDescriptor.wire(headers, headerOffset(i), 0L, iovecs.address() + (long)i * IOVEC_LENGTH,
                this.controlBytes == 0 ? 0L : control.address() + (long)i * this.controlBytes, this.controlBytes);
            MmsgHeaderDescriptor.cmsg(segmentControl, (long)i * SEGMENT_CONTROL_BYTES, UdpSocket.SOL_UDP,
                UdpSocket.UDP_SEGMENT, Short.BYTES);
        }
    }

    public int capacity()
    {
        return capacity;
    }

    /** The largest datagram a slot holds. */
    public int slotBytes()
    {
        return slotBytes;
    }

    /** Distance between slots: {@link #slotBytes()} rounded up to {@value #SLOT_ALIGNMENT}. */
    public int slotStride()
    {
        return slotStride;
    }

    /** Every slot, back to back; slot {@code i} starts at {@link #slotOffset(int)}. */
    public MemorySegment buffer()
    {
        return buffer;
    }

    public long slotOffset(final int index)
    {
        return (long)index * slotStride;
    }

    /** The native array of {@code mmsghdr} entries, for the socket calls. */
    MemorySegment headers()
    {
        return headers;
    }

    private static long headerOffset(final int index)
    {
        return (long)index * MMSGHDR_LENGTH;
    }

    /**
     * Groups slots {@code first .. first+count-1} into segmented messages: a run of slots of one length (at most
     * {@value #MAX_SEGMENTS} and {@value #MAX_SEGMENTED_BYTES} bytes), plus one shorter, non-empty slot that may
     * end it (the kernel allows a short last segment). A run of one is a plain message. Returns the message count.
     */
    int prepareSegments(final int first, final int count)
    {
        int messages = 0;
        int slot = first;
        final int end = first + count;
        while (slot < end)
        {
            final int size = length(slot);
            int run = 1;
            long bytes = size;
            if (size > 0)
            {
                final int most = Math.min(MAX_SEGMENTS, MAX_SEGMENTED_BYTES / size);
                while (slot + run < end && run < most && length(slot + run) == size)
                {
                    bytes += size;
                    run++;
                }
                final int next = slot + run < end ? length(slot + run) : 0;
                if (run < most && next > 0 && next < size && bytes + next <= MAX_SEGMENTED_BYTES)
                {
                    run++;
                }
            }
            final long header = headerOffset(messages);
            final long controlOffset = (long)messages * SEGMENT_CONTROL_BYTES;
            MmsgHeaderDescriptor.wire(segmentHeaders, header, 0L, iovecs.address() + (long)slot * IOVEC_LENGTH,
                run > 1 ? segmentControl.address() + controlOffset : 0L, run > 1 ? SEGMENT_CONTROL_BYTES : 0);
            MmsgHeaderDescriptor.msgIovlen(segmentHeaders, header, run);
            segmentControl.set(ValueLayout.JAVA_SHORT_UNALIGNED,
                controlOffset + MmsgHeaderDescriptor.CMSG_DATA_OFFSET, (short)size);
            segmentCounts[messages++] = run;
            slot += run;
        }
        return messages;
    }

    /** The {@code mmsghdr} array {@link #prepareSegments} built. */
    MemorySegment segmentHeaders()
    {
        return segmentHeaders;
    }

    /** Datagrams in the first {@code messages} segmented messages. */
    int segmentedDatagrams(final int messages)
    {
        int datagrams = 0;
        for (int i = 0; i < messages; i++)
        {
            datagrams += segmentCounts[i];
        }
        return datagrams;
    }

    /** Sets how many bytes of slot {@code i} the next send transmits. */
    public void setLength(final int index, final int length)
    {
        if (length < 0 || length > slotBytes)
        {
            throw new IllegalArgumentException("datagram length " + length + " does not fit a slot of " + slotBytes);
        }
        MmsgHeaderDescriptor.iovLen(iovecs, (long)index * IOVEC_LENGTH, length);
    }

    /** The length slot {@code i} will be sent with. */
    public int length(final int index)
    {
        return (int)MmsgHeaderDescriptor.iovLen(iovecs, (long)index * IOVEC_LENGTH);
    }

    /**
     * Sends message {@code i} to this address instead of the socket's connected peer (for unconnected sockets, or
     * one socket feeding several ports).
     */
    public void setDestination(final int index, final InetSocketAddress destination)
    {
        final long offset = (long)index * SOCKADDR_IN_LENGTH;
        MmsgHeaderDescriptor.sockaddrIn(names, offset, ipv4(destination), destination.getPort());
        MmsgHeaderDescriptor.msgName(headers, headerOffset(index), names.address() + offset, SOCKADDR_IN_LENGTH);
    }

    /** Makes every message go to the socket's connected peer again. */
    public void clearDestinations()
    {
        for (int i = 0; i < capacity; i++)
        {
            MmsgHeaderDescriptor.msgName(headers, headerOffset(i), 0L, 0);
        }
    }

    /** Makes receives record each datagram's source address ({@link #sourcePort(int)}, {@link #sourceAddress(int)}). */
    public void captureSourceAddresses()
    {
        for (int i = 0; i < capacity; i++)
        {
            final long offset = (long)i * SOCKADDR_IN_LENGTH;
            MmsgHeaderDescriptor.msgName(headers, headerOffset(i), names.address() + offset, SOCKADDR_IN_LENGTH);
        }
    }

    /** Resets entries {@code 0..count-1} for a receive: full slots, full control buffers, cleared flags. */
    void prepareReceive(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long offset = headerOffset(i);
            MmsgHeaderDescriptor.iovLen(iovecs, (long)i * IOVEC_LENGTH, slotBytes);
            MmsgHeaderDescriptor.msgControllen(headers, offset, controlBytes);
            MmsgHeaderDescriptor.msgFlags(headers, offset, 0);
            if (MmsgHeaderDescriptor.msgName(headers, offset) != 0)
            {
                MmsgHeaderDescriptor.msgNamelen(headers, offset, SOCKADDR_IN_LENGTH);
            }
        }
    }

    /** Bytes received into slot {@code i} by the last receive (or sent from it by the last send). */
    public int receivedLength(final int index)
    {
        return MmsgHeaderDescriptor.msgLen(headers, headerOffset(index));
    }

    /**
     * Records a datagram as received, as the kernel would: replays (a pcap file) and tests feed the receive path
     * through the same batch.
     */
    public void setReceivedLength(final int index, final int length)
    {
        MmsgHeaderDescriptor.msgLen(headers, headerOffset(index), length);
        MmsgHeaderDescriptor.msgFlags(headers, headerOffset(index), 0);
        MmsgHeaderDescriptor.msgControllen(headers, headerOffset(index), 0);
    }

    /** The {@code msg_flags} the kernel returned for message {@code i}. */
    public int messageFlags(final int index)
    {
        return MmsgHeaderDescriptor.msgFlags(headers, headerOffset(index));
    }

    /** True if datagram {@code i} was longer than its slot and was cut ({@code MSG_TRUNC}). */
    public boolean isTruncated(final int index)
    {
        return (messageFlags(index) & UdpSocket.MSG_TRUNC) != 0;
    }

    /** The source port of datagram {@code i} (after {@link #captureSourceAddresses()}). */
    public int sourcePort(final int index)
    {
        return MmsgHeaderDescriptor.sinPort(names, (long)index * SOCKADDR_IN_LENGTH);
    }

    /** The source IPv4 address of datagram {@code i} as an int, most significant byte first. */
    public int sourceAddress(final int index)
    {
        return MmsgHeaderDescriptor.sinAddr(names, (long)index * SOCKADDR_IN_LENGTH);
    }

    /** An IPv4 address as an int, most significant byte first; throws for IPv6 or unresolved addresses. */
    static int ipv4(final InetSocketAddress address)
    {
        if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address inet4))
        {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        final byte[] bytes = inet4.getAddress();
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
    }

    @Override
    public void close()
    {
        if (arena.scope().isAlive())
        {
            arena.close();
        }
    }
}
