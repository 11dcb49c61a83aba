package org.kotekanj.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An IPv4 UDP socket driven through the FFM API, for the packet paths that the JDK's channels cannot serve:
 * {@code sendmmsg}/{@code recvmmsg} over an {@link MmsgBatch} (64 datagrams per system call), forced socket buffer
 * sizes with the grant reported, and the kernel drop count ({@code SO_MEMINFO}).
 *
 * <p>The batch calls are FFM <em>critical</em> downcalls (no thread-state transition, so a call costs about what it
 * costs in C) and always pass {@code MSG_DONTWAIT}: a critical call must not block. They capture errno into memory
 * owned by the socket and return {@code -errno} instead of throwing, so the hot path neither allocates nor unwinds;
 * {@link Libc#strerror(int)} turns the code into words. Everything else (open, bind, connect, options) is cold and
 * throws {@link NativeException} naming the address and the kernel's reason.
 *
 * <p>A socket is used by one thread at a time (its errno capture is per socket).
 */
public final class UdpSocket implements AutoCloseable
{
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_RXQ_OVFL = 40;
    public static final int SO_MEMINFO = 55;
    /** {@code SO_MEMINFO} answers {@code u32[SK_MEMINFO_VARS]}; the socket's drop count is entry 8. */
    private static final int SK_MEMINFO_VARS = 9;
    private static final int SK_MEMINFO_DROPS = 8;
    public static final int SOL_UDP = 17;
    /** UDP GSO: a control message with the segment size makes the kernel split one send into datagrams. */
    public static final int UDP_SEGMENT = 103;
    public static final int MSG_CTRUNC = 0x08;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EINVAL = 22;
    public static final int ECONNREFUSED = 111;

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;

    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags)}; the pointer passed as a long. */
    private static final MethodHandle SENDMMSG = Libc.downcall("sendmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), Libc.captureErrno(),
        Linker.Option.critical(false));
    /** {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags, struct timespec *timeout)}. */
    private static final MethodHandle RECVMMSG = Libc.downcall("recvmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), Libc.captureErrno(),
        Linker.Option.critical(false));

    private final int fd;
    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment meminfo;
    private final MemorySegment meminfoLength;
    private boolean closed;

    private UdpSocket(final int fd, final Arena arena)
    {
        this.fd = fd;
        this.arena = arena;
        this.errno = Libc.newErrnoCapture(arena);
        this.meminfo = arena.allocate((long)SK_MEMINFO_VARS * Integer.BYTES, 8);
        this.meminfoLength = arena.allocate(JAVA_INT);
    }

    /** Opens an unbound IPv4 datagram socket. */
    public static UdpSocket open()
    {
        final int fd = (int)Libc.checked("socket(AF_INET, SOCK_DGRAM)", (errno, arena) ->
            (long)(int)SocketCalls.SOCKET.invokeExact(errno, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        return new UdpSocket(fd, Arena.ofShared());
    }

    /** An IPv4 socket address from a host (literal or name) and port; throws naming the host if it has none. */
    public static InetSocketAddress ipv4(final String host, final int port)
    {
        try
        {
            for (final InetAddress address : InetAddress.getAllByName(host))
            {
                if (address instanceof Inet4Address)
                {
                    return new InetSocketAddress(address, port);
                }
            }
            throw new IllegalArgumentException("host '" + host + "' has no IPv4 address");
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException("unknown host '" + host + "'", e);
        }
    }

    public int fd()
    {
        return fd;
    }

    public void bind(final InetSocketAddress address)
    {
        Libc.checked("bind to " + format(address), (errno, arena) ->
            (long)(int)SocketCalls.BIND.invokeExact(errno, fd, sockaddr(arena, address), MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH));
    }

    /** Fixes the peer: sends need no address and datagrams from anyone else are not received. */
    public void connect(final InetSocketAddress address)
    {
        Libc.checked("connect to " + format(address), (errno, arena) ->
            (long)(int)SocketCalls.CONNECT.invokeExact(errno, fd, sockaddr(arena, address),
                MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH));
    }

    /** The address the socket is bound to (the port the kernel chose after binding port 0). */
    public InetSocketAddress localAddress()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment name = arena.allocate(MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH, 8);
            final MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH);
            Libc.checked("getsockname", (errno, unused) -> (long)(int)SocketCalls.GETSOCKNAME.invokeExact(errno, fd, name, length));
            final int address = MmsgHeaderDescriptor.sinAddr(name, 0);
            final byte[] bytes = {(byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8),
                (byte)address};
            try
            {
                return new InetSocketAddress(InetAddress.getByAddress(bytes), MmsgHeaderDescriptor.sinPort(name, 0));
            }
            catch (final UnknownHostException e)
            {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Asks for a send buffer of {@code bytes}, forced past the sysctl cap where permitted. */
    public SocketBufferSize setSendBufferSize(final int bytes)
    {
        return setBufferSize(bytes, SO_SNDBUFFORCE, SO_SNDBUF);
    }

    /** Asks for a receive buffer of {@code bytes}, forced past the sysctl cap where permitted. */
    public SocketBufferSize setReceiveBufferSize(final int bytes)
    {
        return setBufferSize(bytes, SO_RCVBUFFORCE, SO_RCVBUF);
    }

    private SocketBufferSize setBufferSize(final int bytes, final int force, final int plain)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("socket buffer size must be positive: " + bytes);
        }
        boolean forced = true;
        try
        {
            setIntOption(force, bytes);
        }
        catch (final NativeException e)
        {
            if (e.errno() != EPERM)
            {
                throw e;
            }
            forced = false;
            setIntOption(plain, bytes);
        }
        return new SocketBufferSize(bytes, getIntOption(plain), forced);
    }

    public int sendBufferSize()
    {
        return getIntOption(SO_SNDBUF);
    }

    public int receiveBufferSize()
    {
        return getIntOption(SO_RCVBUF);
    }

    /**
     * Datagrams the kernel dropped for this socket so far ({@code SO_MEMINFO}'s {@code SK_MEMINFO_DROPS}: a full
     * receive queue, memory pressure), or -1 if the kernel does not say. No allocation: a receive thread can ask
     * every few thousand polls, and the kernel attaches nothing to each datagram (unlike {@code SO_RXQ_OVFL}, whose
     * per-datagram control message cost the receive path a sixth of its time).
     */
    public long drops()
    {
        try
        {
            meminfoLength.set(JAVA_INT, 0, SK_MEMINFO_VARS * Integer.BYTES);
            final int rc = (int)SocketCalls.GETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_MEMINFO, meminfo,
                meminfoLength);
            if (rc != 0 || meminfoLength.get(JAVA_INT, 0) < (SK_MEMINFO_DROPS + 1) * Integer.BYTES)
            {
                return -1;
            }
            return meminfo.getAtIndex(JAVA_INT, SK_MEMINFO_DROPS) & 0xFFFF_FFFFL;
        }
        catch (final Throwable t)
        {
            return -1;
        }
    }

    public void setIntOption(final int name, final int value)
    {
        Libc.checked("setsockopt(" + optionName(name) + ", " + value + ")", (errno, arena) ->
        {
            final MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (long)(int)SocketCalls.SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, name, v, Integer.BYTES);
        });
    }

    public int getIntOption(final int name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment v = arena.allocate(JAVA_INT);
            final MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Integer.BYTES);
            Libc.checked("getsockopt(" + optionName(name) + ")",
                (errno, unused) -> (long)(int)SocketCalls.GETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, name, v, length));
            return v.get(JAVA_INT, 0);
        }
    }

    /**
     * Sends messages {@code first .. first+count-1} of the batch with one {@code sendmmsg(MSG_DONTWAIT)}.
     *
     * @return how many were sent (possibly fewer than {@code count}: send the rest again), or {@code -errno} if the
     * first could not be sent ({@code -EAGAIN}: send buffer full; {@code -ECONNREFUSED}: an earlier datagram found
     * nobody listening, reported once and cleared; that datagram was not sent).
     */
    public int send(final MmsgBatch batch, final int first, final int count)
    {
        if (first < 0 || count < 0 || first + count > batch.capacity())
        {
            throw new IndexOutOfBoundsException("messages " + first + "+" + count + " of a batch of " +
                batch.capacity());
        }
        try
        {
            final int sent = (int)SENDMMSG.invokeExact(errno, fd,
                batch.headers().address() + (long)first * MmsgHeaderDescriptor.MMSGHDR_LENGTH, count, MSG_DONTWAIT);
            return sent >= 0 ? sent : -Libc.errno(errno);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("sendmmsg", t);
        }
    }

    /**
     * Sends messages {@code first .. first+count-1} of the batch like {@link #send}, but with UDP GSO: each run of
     * equal-length datagrams goes down the stack as one message (up to 64 KiB) that the kernel splits back into
     * exactly those datagrams, so the receiver sees the same datagrams while the sender pays the per-packet cost
     * of the stack once per run. Kernels or routes that cannot segment answer {@code -EINVAL} or {@code -EIO}:
     * fall back to {@link #send}.
     *
     * @return how many datagrams were sent (whole runs), or {@code -errno}.
     */
    public int sendSegmented(final MmsgBatch batch, final int first, final int count)
    {
        if (first < 0 || count < 0 || first + count > batch.capacity())
        {
            throw new IndexOutOfBoundsException("messages " + first + "+" + count + " of a batch of " +
                batch.capacity());
        }
        final int messages = batch.prepareSegments(first, count);
        try
        {
            final int sent = (int)SENDMMSG.invokeExact(errno, fd, batch.segmentHeaders().address(), messages,
                MSG_DONTWAIT);
            return sent >= 0 ? batch.segmentedDatagrams(sent) : -Libc.errno(errno);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("sendmmsg", t);
        }
    }

    /**
     * Receives up to {@code count} datagrams into the batch's slots with one {@code recvmmsg(MSG_DONTWAIT)}.
     *
     * @return how many arrived, or {@code -errno} ({@code -EAGAIN}: nothing queued).
     */
    public int receive(final MmsgBatch batch, final int count)
    {
        if (count < 0 || count > batch.capacity())
        {
            throw new IndexOutOfBoundsException(count + " messages for a batch of " + batch.capacity());
        }
        batch.prepareReceive(count);
        try
        {
            final int received = (int)RECVMMSG.invokeExact(errno, fd, batch.headers().address(), count,
                MSG_DONTWAIT, 0L);
            return received >= 0 ? received : -Libc.errno(errno);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("recvmmsg", t);
        }
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                Libc.checked("close", (e, unused) -> (long)(int)SocketCalls.CLOSE.invokeExact(e, fd));
            }
            finally
            {
                arena.close();
            }
        }
    }

    /** {@code 127.0.0.1:10000}. */
    public static String format(final InetSocketAddress address)
    {
        return (address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress()) +
            ":" + address.getPort();
    }

    private static MemorySegment sockaddr(final Arena arena, final InetSocketAddress address)
    {
        final MemorySegment name = arena.allocate(MmsgHeaderDescriptor.SOCKADDR_IN_LENGTH, 8);
        MmsgHeaderDescriptor.sockaddrIn(name, 0, MmsgBatch.ipv4(address), address.getPort());
        return name;
    }

    private static String optionName(final int name)
    {
        return switch (name)
        {
            case SO_REUSEADDR -> "SO_REUSEADDR";
            case SO_SNDBUF -> "SO_SNDBUF";
            case SO_RCVBUF -> "SO_RCVBUF";
            case SO_SNDBUFFORCE -> "SO_SNDBUFFORCE";
            case SO_RCVBUFFORCE -> "SO_RCVBUFFORCE";
            case SO_RXQ_OVFL -> "SO_RXQ_OVFL";
            default -> "option " + name;
        };
    }
}
