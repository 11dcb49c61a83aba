package org.kotekanj.nativeio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The kernel structures that {@code sendmmsg}/{@code recvmmsg} read and write, as laid out on x86-64 Linux, with
 * static accessors for an off-heap copy. The batch ({@link MmsgBatch}) is built from these; a receiver reads
 * {@code msg_len}, {@code msg_flags} and the control messages of each entry straight from native memory.
 *
 * <pre>
 * struct mmsghdr (64 bytes)                      struct iovec (16 bytes)
 *  0 +--------------------------------------+     0 +----------------------+
 *    | msg_name        void*  (sockaddr_in) |       | iov_base   void*     |
 *  8 +-------------------+------------------+     8 +----------------------+
 *    | msg_namelen u32   | (pad)            |       | iov_len    size_t    |
 * 16 +-------------------+------------------+    16 +----------------------+
 *    | msg_iov         struct iovec*        |
 * 24 +--------------------------------------+    struct sockaddr_in (16 bytes)
 *    | msg_iovlen      size_t               |     0 +-----------+----------------+
 * 32 +--------------------------------------+       | family u16| port u16 (BE)  |
 *    | msg_control     void* (cmsghdr ...)  |     4 +-----------+----------------+
 * 40 +--------------------------------------+       | addr u32 (network order)   |
 *    | msg_controllen  size_t               |     8 +----------------------------+
 * 48 +-------------------+------------------+       | zero[8]                    |
 *    | msg_flags   int   | (pad)            |    16 +----------------------------+
 * 56 +-------------------+------------------+
 *    | msg_len     u32   | (pad)            |    struct cmsghdr (16 bytes + data, 8-aligned)
 * 64 +-------------------+------------------+     0 +----------------------------+
 *                                                   | cmsg_len   size_t          |
 *                                                 8 +-------------+--------------+
 *                                                   | level int   | type int     |
 *                                                16 +-------------+--------------+
 *                                                   | data ...                   |
 * </pre>
 */
public final class MmsgHeaderDescriptor
{
    public static final int MMSGHDR_LENGTH = 64;
    public static final int MSG_NAME_OFFSET = 0;
    public static final int MSG_NAMELEN_OFFSET = 8;
    public static final int MSG_IOV_OFFSET = 16;
    public static final int MSG_IOVLEN_OFFSET = 24;
    public static final int MSG_CONTROL_OFFSET = 32;
    public static final int MSG_CONTROLLEN_OFFSET = 40;
    public static final int MSG_FLAGS_OFFSET = 48;
    public static final int MSG_LEN_OFFSET = 56;

    public static final int IOVEC_LENGTH = 16;
    public static final int IOV_BASE_OFFSET = 0;
    public static final int IOV_LEN_OFFSET = 8;

    public static final int SOCKADDR_IN_LENGTH = 16;
    public static final int SIN_FAMILY_OFFSET = 0;
    public static final int SIN_PORT_OFFSET = 2;
    public static final int SIN_ADDR_OFFSET = 4;
    public static final short AF_INET = 2;

    public static final int CMSGHDR_LENGTH = 16;
    public static final int CMSG_LEN_OFFSET = 0;
    public static final int CMSG_LEVEL_OFFSET = 8;
    public static final int CMSG_TYPE_OFFSET = 12;
    public static final int CMSG_DATA_OFFSET = 16;
    private static final int CMSG_ALIGN = 8;

    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT_BE = SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = INT.withOrder(ByteOrder.BIG_ENDIAN);

    private MmsgHeaderDescriptor()
    {
    }

    /** {@code CMSG_SPACE(dataBytes)}: room one control message with that much data takes in a control buffer. */
    public static int cmsgSpace(final int dataBytes)
    {
        return CMSGHDR_LENGTH + align(dataBytes);
    }

    private static int align(final int bytes)
    {
        return (bytes + CMSG_ALIGN - 1) & -CMSG_ALIGN;
    }

    /** Points entry {@code offset} of an mmsghdr array at its name, one-iovec array and control buffer. */
    public static void wire(final MemorySegment headers, final long offset, final long nameAddress,
        final long iovAddress, final long controlAddress, final int controlBytes)
    {
        headers.set(SIZE_T, offset + MSG_NAME_OFFSET, nameAddress);
        headers.set(INT, offset + MSG_NAMELEN_OFFSET, nameAddress == 0 ? 0 : SOCKADDR_IN_LENGTH);
        headers.set(SIZE_T, offset + MSG_IOV_OFFSET, iovAddress);
        headers.set(SIZE_T, offset + MSG_IOVLEN_OFFSET, 1L);
        headers.set(SIZE_T, offset + MSG_CONTROL_OFFSET, controlAddress);
        headers.set(SIZE_T, offset + MSG_CONTROLLEN_OFFSET, controlBytes);
        headers.set(INT, offset + MSG_FLAGS_OFFSET, 0);
        headers.set(INT, offset + MSG_LEN_OFFSET, 0);
    }

    public static long msgName(final MemorySegment headers, final long offset)
    {
        return headers.get(SIZE_T, offset + MSG_NAME_OFFSET);
    }

    public static void msgName(final MemorySegment headers, final long offset, final long address, final int length)
    {
        headers.set(SIZE_T, offset + MSG_NAME_OFFSET, address);
        headers.set(INT, offset + MSG_NAMELEN_OFFSET, length);
    }

    public static void msgNamelen(final MemorySegment headers, final long offset, final int length)
    {
        headers.set(INT, offset + MSG_NAMELEN_OFFSET, length);
    }

    /** Sets how many iovecs (from {@code msg_iov} on) the message gathers. */
    public static void msgIovlen(final MemorySegment headers, final long offset, final long count)
    {
        headers.set(SIZE_T, offset + MSG_IOVLEN_OFFSET, count);
    }

    public static long msgControllen(final MemorySegment headers, final long offset)
    {
        return headers.get(SIZE_T, offset + MSG_CONTROLLEN_OFFSET);
    }

    public static void msgControllen(final MemorySegment headers, final long offset, final long length)
    {
        headers.set(SIZE_T, offset + MSG_CONTROLLEN_OFFSET, length);
    }

    public static int msgFlags(final MemorySegment headers, final long offset)
    {
        return headers.get(INT, offset + MSG_FLAGS_OFFSET);
    }

    public static void msgFlags(final MemorySegment headers, final long offset, final int flags)
    {
        headers.set(INT, offset + MSG_FLAGS_OFFSET, flags);
    }

    /** Bytes the kernel sent or received for this entry (for a datagram cut short by the iovec: what fitted). */
    public static int msgLen(final MemorySegment headers, final long offset)
    {
        return headers.get(INT, offset + MSG_LEN_OFFSET);
    }

    public static void msgLen(final MemorySegment headers, final long offset, final int length)
    {
        headers.set(INT, offset + MSG_LEN_OFFSET, length);
    }

    public static void iov(final MemorySegment iovecs, final long offset, final long base, final long length)
    {
        iovecs.set(SIZE_T, offset + IOV_BASE_OFFSET, base);
        iovecs.set(SIZE_T, offset + IOV_LEN_OFFSET, length);
    }

    public static void iovLen(final MemorySegment iovecs, final long offset, final long length)
    {
        iovecs.set(SIZE_T, offset + IOV_LEN_OFFSET, length);
    }

    public static long iovLen(final MemorySegment iovecs, final long offset)
    {
        return iovecs.get(SIZE_T, offset + IOV_LEN_OFFSET);
    }

    /** Writes an IPv4 socket address; {@code address} is the IPv4 address as an int, most significant byte first. */
    public static void sockaddrIn(final MemorySegment names, final long offset, final int address, final int port)
    {
        names.set(SHORT, offset + SIN_FAMILY_OFFSET, AF_INET);
        names.set(SHORT_BE, offset + SIN_PORT_OFFSET, (short)port);
        names.set(INT_BE, offset + SIN_ADDR_OFFSET, address);
        names.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8, 0L);
    }

    public static int sinFamily(final MemorySegment names, final long offset)
    {
        return names.get(SHORT, offset + SIN_FAMILY_OFFSET);
    }

    public static int sinPort(final MemorySegment names, final long offset)
    {
        return names.get(SHORT_BE, offset + SIN_PORT_OFFSET) & 0xFFFF;
    }

    public static int sinAddr(final MemorySegment names, final long offset)
    {
        return names.get(INT_BE, offset + SIN_ADDR_OFFSET);
    }

    /**
     * Finds a control message in a control buffer of {@code length} valid bytes (as the kernel set
     * {@code msg_controllen}) and returns the offset of its data, or -1 if there is none of that level and type.
     */
    public static long findCmsg(final MemorySegment control, final long offset, final long length, final int level,
        final int type)
    {
        long at = 0;
        while (at + CMSGHDR_LENGTH <= length)
        {
            final long cmsgLen = control.get(SIZE_T, offset + at + CMSG_LEN_OFFSET);
            if (cmsgLen < CMSGHDR_LENGTH || at + cmsgLen > length)
            {
                return -1;
            }
            if (control.get(INT, offset + at + CMSG_LEVEL_OFFSET) == level &&
                control.get(INT, offset + at + CMSG_TYPE_OFFSET) == type)
            {
                return offset + at + CMSG_DATA_OFFSET;
            }
            at += align((int)cmsgLen);
        }
        return -1;
    }

    /** Writes one control message header (tests and replays build what the kernel would have written). */
    public static void cmsg(final MemorySegment control, final long offset, final int level, final int type,
        final int dataBytes)
    {
        control.set(SIZE_T, offset + CMSG_LEN_OFFSET, (long)CMSGHDR_LENGTH + dataBytes);
        control.set(INT, offset + CMSG_LEVEL_OFFSET, level);
        control.set(INT, offset + CMSG_TYPE_OFFSET, type);
    }
}
