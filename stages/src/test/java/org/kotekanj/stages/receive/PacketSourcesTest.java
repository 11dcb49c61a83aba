package org.kotekanj.stages.receive;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kotekanj.log.Log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PacketSourcesTest
{
    private static final Log LOG = new Log("/test", Log.Level.OFF);
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** Sends {@code count} datagrams of distinct content (sizes 100..163) to each port in turn. */
    static List<byte[]> send(final int[] ports, final int count) throws IOException
    {
        final List<byte[]> sent = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket())
        {
            for (int i = 0; i < count; i++)
            {
                final byte[] payload = new byte[100 + i % 64];
                for (int b = 0; b < payload.length; b++)
                {
                    payload[b] = (byte)(i * 7 + b);
                }
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                    ports[i % ports.length]));
                sent.add(payload);
            }
        }
        return sent;
    }

    static List<byte[]> receive(final PacketSource source, final int count, final int[] linksSeen)
    {
        return receive(source, count, linksSeen, 5_000);
    }

    /** Polls until {@code count} datagrams arrived or {@code timeoutMs} passed. */
    static List<byte[]> receive(final PacketSource source, final int count, final int[] linksSeen,
        final long timeoutMs)
    {
        final PacketBatch batch = new PacketBatch(16);
        final List<byte[]> received = new ArrayList<>();
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (received.size() < count && System.nanoTime() < deadline)
        {
            final int n = source.poll(batch);
            for (int i = 0; i < n; i++)
            {
                received.add(ALL.asSlice(batch.address(i), batch.length(i)).toArray(JAVA_BYTE));
                linksSeen[batch.link(i)]++;
            }
            source.release(batch);
        }
        return received;
    }

    @Test
    void shouldReceiveEveryDatagramWithNio() throws IOException
    {
        final int[] ports = {freePort(), freePort()};
        try (NioSource source = new NioSource("127.0.0.1", ports, 16, 256, 1 << 20, LOG))
        {
            final List<byte[]> sent = send(ports, 200);
            final int[] links = new int[2];
            final List<byte[]> received = receive(source, 200, links);
            assertEquals(200, received.size());
            assertEquals(100, links[0]);
            received.sort(PacketSourcesTest::compare);
            sent.sort(PacketSourcesTest::compare);
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), received.get(i));
            }
        }
    }

    @Test
    void shouldReceiveEveryDatagramWithRecvmmsgInBatches() throws IOException
    {
        final int[] ports = {freePort(), freePort(), freePort()};
        try (RecvmmsgSource source = new RecvmmsgSource("127.0.0.1", ports, 64, 256, 1 << 20, LOG))
        {
            final List<byte[]> sent = send(ports, 300);
            final int[] links = new int[3];
            final List<byte[]> received = receive(source, 300, links);
            assertEquals(300, received.size());
            assertEquals(100, links[2]);
            received.sort(PacketSourcesTest::compare);
            sent.sort(PacketSourcesTest::compare);
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), received.get(i));
            }
            assertEquals(0, source.socketDrops(0));
        }
    }

    @Test
    void shouldReportKernelDropsFromTheOverflowCounter() throws IOException
    {
        final int[] ports = {freePort()};
        try (RecvmmsgSource source = new RecvmmsgSource("127.0.0.1", ports, 64, 256, 1, LOG))
        {
            send(ports, 2000);
            final int[] links = new int[1];
            final List<byte[]> received = receive(source, 2000, links, 300);
            org.junit.jupiter.api.Assertions.assertTrue(received.size() < 2000, "a tiny socket buffer drops");
            // The kernel attaches its drop count to the next datagram it queues.
            send(ports, 1);
            assertEquals(1, receive(source, 1, links).size());
            assertEquals(2000 - received.size(), source.socketDrops(0), "every drop reported by SO_RXQ_OVFL");
        }
    }

    @Test
    void shouldReceiveFromTheKernelRingWithAfPacket() throws IOException
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "AF_PACKET needs root");
        final int[] ports = {freePort(), freePort()};
        try (AfPacketSource source = new AfPacketSource("lo", "127.0.0.1", ports, 64 << 20, LOG))
        {
            // The kernel retires ring blocks on a timer, so the ring must be polled while the traffic flows.
            final int[] links = new int[2];
            final java.util.concurrent.CompletableFuture<List<byte[]>> receiving =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> receive(source, 300, links));
            final List<byte[]> sent = send(ports, 300);
            final List<byte[]> received = receiving.join();
            assertEquals(300, received.size(), "datagrams seen once each (outgoing copies ignored)");
            assertEquals(150, links[1]);
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), received.get(i), "in order, datagram " + i);
            }
            assertEquals(0, source.socketDrops(0));
        }
    }

    private static int compare(final byte[] a, final byte[] b)
    {
        return java.util.Arrays.compare(a, b);
    }

    @Test
    void shouldBindReceivePortsExclusively() throws IOException
    {
        final int[] ports = {freePort()};
        try (PacketSource first = new RecvmmsgSource("127.0.0.1", ports, 8, 2048, 1 << 20, LOG))
        {
            final IllegalStateException recvmmsg = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> new RecvmmsgSource("127.0.0.1", ports, 8, 2048, 1 << 20, LOG));
            org.junit.jupiter.api.Assertions.assertTrue(recvmmsg.getMessage().contains("port " + ports[0] +
                " is already in use"), recvmmsg.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new NioSource("0.0.0.0", ports, 8, 2048, 1 << 20, LOG));
        }
    }
}
