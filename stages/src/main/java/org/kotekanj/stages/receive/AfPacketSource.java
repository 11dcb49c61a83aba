package org.kotekanj.stages.receive;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;

import org.kotekanj.log.Log;
import org.kotekanj.nativeio.Libc;
import org.kotekanj.nativeio.NativeException;
import org.kotekanj.nativeio.SocketCalls;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.kotekanj.stages.receive.PacketRingDescriptor.*;

/**
 * Receives from an AF_PACKET {@code TPACKET_V3} ring shared with the kernel: no system call on the hot path. The
 * kernel fills whole blocks of packets; {@link #poll} reads a block's status word, hands out the UDP payloads of the
 * configured ports in place, and {@link #release} returns the block once its packets are placed. Kernel drop
 * statistics ({@code PACKET_STATISTICS}) feed the socket-drop metric. Needs root (CAP_NET_RAW).
 *
 * <p>A plain UDP socket is also bound on each port (never read) so that the kernel does not answer the senders with
 * ICMP port-unreachable.
 */
public final class AfPacketSource implements PacketSource
{
    private static final MethodHandle IF_NAMETOINDEX = Libc.downcall("if_nametoindex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final int MAP_SHARED = 0x01;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int MAP_LOCKED = 0x2000;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final MemorySegment ring;
    private final int blockSize;
    private final int blockCount;
    private final DatagramSocket[] sinks;
    private final MemorySegment stats;
    private final MemorySegment statsLength;
    private final MemorySegment statsErrno;
    private final String description;
    private final PacketRing walker;
    private long drops;

    public AfPacketSource(final String interfaceName, final String bindAddress, final int[] ports,
        final int ringBytes, final Log log)
    {
        this.blockSize = 1 << 20;
        this.blockCount = Math.max(4, ringBytes / blockSize);
        this.stats = arena.allocate(STATS_LENGTH, 8);
        this.statsLength = arena.allocate(JAVA_INT);
        this.statsErrno = Libc.newErrnoCapture(arena);
        try
        {
            fd = (int)Libc.checked("socket(AF_PACKET) (needs root or CAP_NET_RAW)",
                (errno, a) -> (long)(int)SocketCalls.SOCKET.invokeExact(errno, AF_PACKET, SOCK_RAW, ETH_P_ALL_NETWORK_ORDER));
            attachPortFilter(ports);
            setPacketOption(PACKET_VERSION, TPACKET_V3, "PACKET_VERSION");
            setPacketOption(PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            final long length = (long)blockSize * blockCount;
            Libc.checked("PACKET_RX_RING", (errno, a) ->
            {
                final MemorySegment req = a.allocate(REQ_LENGTH, 4);
                req.set(JAVA_INT, 0, blockSize);
                req.set(JAVA_INT, 4, blockCount);
                req.set(JAVA_INT, 8, 2048);
                req.set(JAVA_INT, 12, (int)(length / 2048));
                req.set(JAVA_INT, 16, 2);
                return (long)(int)SocketCalls.SETSOCKOPT.invokeExact(errno, fd, SOL_PACKET, PACKET_RX_RING, req, REQ_LENGTH);
            });
            ring = MemorySegment.ofAddress(Libc.mmap(length, MAP_SHARED | MAP_LOCKED, fd)).reinterpret(length);
            final int ifindex = (int)IF_NAMETOINDEX.invokeExact(arena.allocateFrom(interfaceName));
            if (ifindex == 0)
            {
                throw new NativeException("no network interface named " + interfaceName, 19);
            }
            Libc.checked("bind to " + interfaceName, (errno, a) ->
            {
                final MemorySegment address = a.allocate(SOCKADDR_LL_LENGTH, 4);
                address.set(JAVA_SHORT, 0, (short)AF_PACKET);
                address.set(JAVA_SHORT, 2, (short)ETH_P_ALL_NETWORK_ORDER);
                address.set(JAVA_INT, 4, ifindex);
                return (long)(int)SocketCalls.BIND.invokeExact(errno, fd, address, SOCKADDR_LL_LENGTH);
            });
        }
        catch (final RuntimeException e)
        {
            arena.close();
            throw e;
        }
        catch (final Throwable t)
        {
            arena.close();
            throw new IllegalStateException(t);
        }
        walker = new PacketRing(ring, blockSize, blockCount, ports);
        sinks = new DatagramSocket[ports.length];
        for (int i = 0; i < ports.length; i++)
        {
            try
            {
                sinks[i] = new DatagramSocket(new InetSocketAddress(bindAddress, ports[i]));
                sinks[i].setReceiveBufferSize(4096);
            }
            catch (final java.net.BindException e)
            {
                close();
                throw ReceivePorts.inUse(bindAddress, ports[i]);
            }
            catch (final SocketException e)
            {
                log.warn("cannot bind a UDP sink on port " + ports[i] + " (" + e.getMessage() +
                    "); senders may get ICMP port-unreachable");
            }
        }
        description = "af_packet TPACKET_V3 on " + interfaceName + ", ports " + Arrays.toString(ports) + ", ring " +
            blockCount + " blocks of " + (blockSize >> 20) + " MiB";
    }

    /**
     * A classic BPF program so the ring only ever holds unfragmented IPv4 UDP datagrams to our ports: other traffic on
     * the interface neither costs ring space nor shows up as our drops.
     */
    private void attachPortFilter(final int[] udpPorts)
    {
        final int n = udpPorts.length;
        final int[][] program = new int[10 + n][];
        program[0] = new int[] {0x28, 0, 0, 12};               // ldh [12]: ethertype
        program[1] = new int[] {0x15, 0, 6 + n, 0x0800};       // IPv4, else drop
        program[2] = new int[] {0x30, 0, 0, 23};               // ldb [23]: IP protocol
        program[3] = new int[] {0x15, 0, 4 + n, 17};           // UDP, else drop
        program[4] = new int[] {0x28, 0, 0, 20};               // ldh [20]: flags and fragment offset
        program[5] = new int[] {0x45, 2 + n, 0, 0x1fff};       // a fragment: drop
        program[6] = new int[] {0xb1, 0, 0, 14};               // x = IP header length
        program[7] = new int[] {0x48, 0, 0, 16};               // ldh [x + 16]: UDP destination port
        for (int i = 0; i < n; i++)
        {
            program[8 + i] = new int[] {0x15, n - i, 0, udpPorts[i]};
        }
        program[8 + n] = new int[] {0x06, 0, 0, 0};            // drop
        program[9 + n] = new int[] {0x06, 0, 0, 0x40000};      // accept the whole packet
        final MemorySegment filter = arena.allocate(8L * program.length, 8);
        for (int i = 0; i < program.length; i++)
        {
            filter.set(JAVA_SHORT, 8L * i, (short)program[i][0]);
            filter.set(JAVA_BYTE, 8L * i + 2, (byte)program[i][1]);
            filter.set(JAVA_BYTE, 8L * i + 3, (byte)program[i][2]);
            filter.set(JAVA_INT, 8L * i + 4, program[i][3]);
        }
        final MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(JAVA_SHORT, 0, (short)program.length);
        fprog.set(ADDRESS, 8, filter);
        Libc.checked("SO_ATTACH_FILTER",
            (errno, a) -> (long)(int)SocketCalls.SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16));
    }

    private void setPacketOption(final int option, final int value, final String what)
    {
        Libc.checked(what, (errno, a) ->
        {
            final MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (long)(int)SocketCalls.SETSOCKOPT.invokeExact(errno, fd, SOL_PACKET, option, v, 4);
        });
    }

    @Override
    public int poll(final PacketBatch batch)
    {
        return walker.poll(batch);
    }

    @Override
    public void release(final PacketBatch batch)
    {
        walker.release(batch);
    }

    /** Kernel ring drops (all ports of the ring together, reported on link 0). */
    @Override
    public synchronized long socketDrops(final int link)
    {
        if (link != 0)
        {
            return -1;
        }
        try
        {
            statsLength.set(JAVA_INT, 0, STATS_LENGTH);
            final int rc = (int)SocketCalls.GETSOCKOPT.invokeExact(statsErrno, fd, SOL_PACKET, PACKET_STATISTICS,
                stats, statsLength);
            if (rc == 0)
            {
                drops += stats.get(JAVA_INT, STATS_DROPS_OFFSET) & 0xFFFFFFFFL;
            }
        }
        catch (final Throwable t)
        {
            return drops;
        }
        return drops;
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        for (final DatagramSocket sink : sinks)
        {
            if (sink != null)
            {
                sink.close();
            }
        }
        try
        {
            Libc.munmap(ring.address(), ring.byteSize());
            Libc.checked("close", (errno, a) -> (long)(int)SocketCalls.CLOSE.invokeExact(errno, fd));
        }
        catch (final RuntimeException e)
        {
            // Closing: the kernel reclaims the ring and the socket with the process anyway.
        }
        arena.close();
    }
}
