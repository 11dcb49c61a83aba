package org.kotekanj.nativeio;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpSocketTest
{
    private static final InetSocketAddress ANY_LOOPBACK_PORT = UdpSocket.ipv4("127.0.0.1", 0);
    private static final long DEADLINE_NANOS = 2_000_000_000L;

    @Test
    void shouldSendABatchWithSendmmsgAndReceiveTheSameBytesWithRecvmmsg()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 2000, 0);
            MmsgBatch in = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 2000, 0))
        {
            receiver.setReceiveBufferSize(1 << 20);
            receiver.bind(ANY_LOOPBACK_PORT);
            sender.connect(receiver.localAddress());
            for (int i = 0; i < out.capacity(); i++)
            {
                final int length = 100 + 29 * i;
                for (int b = 0; b < length; b++)
                {
                    out.buffer().set(JAVA_BYTE, out.slotOffset(i) + b, (byte)(i * 7 + b));
                }
                out.setLength(i, length);
            }

            assertEquals(out.capacity(), sender.send(out, 0, out.capacity()));

            int received = 0;
            final long start = System.nanoTime();
            while (received < out.capacity() && System.nanoTime() - start < DEADLINE_NANOS)
            {
                final int n = receiver.receive(in, in.capacity());
                for (int i = 0; i < n; i++)
                {
                    final int index = received + i;
                    assertEquals(out.length(index), in.receivedLength(i));
                    assertFalse(in.isTruncated(i));
                    assertArrayEquals(bytes(out.buffer(), out.slotOffset(index), out.length(index)),
                        bytes(in.buffer(), in.slotOffset(i), in.receivedLength(i)));
                }
                received += Math.max(n, 0);
            }
            assertEquals(out.capacity(), received);
        }
    }

    @Test
    void shouldDeliverTheSameDatagramsWhenSendingSegmentedRuns()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 5000, 0);
            MmsgBatch in = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 5000, 0))
        {
            receiver.setReceiveBufferSize(4 << 20);
            receiver.bind(ANY_LOOPBACK_PORT);
            sender.connect(receiver.localAddress());
            for (int i = 0; i < out.capacity(); i++)
            {
                // runs of 4886-byte datagrams broken by a short one, an empty one and a long one
                final int length = i == 20 ? 100 : i == 33 ? 0 : i == 40 ? 4950 : 4886;
                for (int b = 0; b < length; b++)
                {
                    out.buffer().set(JAVA_BYTE, out.slotOffset(i) + b, (byte)(i + b * 3));
                }
                out.setLength(i, length);
            }

            int sent = 0;
            final long start = System.nanoTime();
            while (sent < out.capacity() && System.nanoTime() - start < DEADLINE_NANOS)
            {
                final int n = sender.sendSegmented(out, sent, out.capacity() - sent);
                assertTrue(n >= 0 || n == -UdpSocket.EAGAIN, Libc.strerror(-n));
                sent += Math.max(n, 0);
            }
            assertEquals(out.capacity(), sent);

            int received = 0;
            while (received < out.capacity() && System.nanoTime() - start < DEADLINE_NANOS)
            {
                final int n = receiver.receive(in, in.capacity());
                for (int i = 0; i < n; i++)
                {
                    final int index = received + i;
                    assertEquals(out.length(index), in.receivedLength(i), "datagram " + index);
                    assertArrayEquals(bytes(out.buffer(), out.slotOffset(index), out.length(index)),
                        bytes(in.buffer(), in.slotOffset(i), in.receivedLength(i)));
                }
                received += Math.max(n, 0);
            }
            assertEquals(out.capacity(), received);
        }
    }

    @Test
    void shouldSendOnlyTheRequestedRangeOfTheBatch()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(8, 64, 0); MmsgBatch in = new MmsgBatch(8, 64, 0))
        {
            receiver.bind(ANY_LOOPBACK_PORT);
            sender.connect(receiver.localAddress());
            for (int i = 0; i < 8; i++)
            {
                out.buffer().set(JAVA_BYTE, out.slotOffset(i), (byte)i);
                out.setLength(i, 1);
            }

            assertEquals(3, sender.send(out, 5, 3));

            final int n = receiveAtLeast(receiver, in, 3);
            assertEquals(3, n);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(5 + i, in.buffer().get(JAVA_BYTE, in.slotOffset(i)));
            }
        }
    }

    @Test
    void shouldFlagDatagramsLongerThanTheSlotAsTruncated()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(1, 1000, 0); MmsgBatch in = new MmsgBatch(1, 100, 0))
        {
            receiver.bind(ANY_LOOPBACK_PORT);
            sender.connect(receiver.localAddress());
            out.setLength(0, 1000);
            assertEquals(1, sender.send(out, 0, 1));

            assertEquals(1, receiveAtLeast(receiver, in, 1));
            assertTrue(in.isTruncated(0));
            assertEquals(100, in.receivedLength(0));
        }
    }

    @Test
    void shouldReportTheKernelDropCountThroughMeminfo()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 1400, 0);
            MmsgBatch in = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 1400, 0))
        {
            receiver.setReceiveBufferSize(1);
            receiver.bind(ANY_LOOPBACK_PORT);
            assertEquals(0, receiver.drops());
            sender.connect(receiver.localAddress());
            for (int i = 0; i < out.capacity(); i++)
            {
                out.setLength(i, 1400);
            }
            int sent = 0;
            for (int round = 0; round < 4; round++)
            {
                sent += Math.max(sender.send(out, 0, out.capacity()), 0);
            }
            int queued = 0;
            for (int n = receiver.receive(in, in.capacity()); n > 0; n = receiver.receive(in, in.capacity()))
            {
                queued += n;
            }
            assertTrue(queued > 0 && queued < sent, "a minimum-size receive buffer keeps some and drops the rest: " +
                queued + " of " + sent);

            assertEquals(1, sender.send(out, 0, 1));

            assertEquals(1, receiveAtLeast(receiver, in, 1));
            assertEquals(sent - queued, receiver.drops());
        }
    }

    @Test
    void shouldReportTheBufferSizeTheKernelGrantedAndWhetherItCappedTheRequest()
    {
        // net.core.wmem_max is machine-wide and other processes may change it, so only the relation is checked.
        final int request = 512 << 20;
        try (UdpSocket socket = UdpSocket.open())
        {
            final SocketBufferSize size = socket.setSendBufferSize(request);

            assertEquals(request, size.requested());
            assertEquals(socket.sendBufferSize(), size.granted());
            if (size.forced())
            {
                assertEquals(2L * request, size.granted(), "SO_SNDBUFFORCE bypasses the sysctl cap");
                assertFalse(size.capped());
            }
            else
            {
                assertTrue(size.granted() <= 2L * request, "without CAP_NET_ADMIN the kernel caps at wmem_max");
                assertEquals(size.granted() < 2L * request, size.capped());
            }
        }
    }

    @Test
    void shouldCallAGrantBelowTwiceTheRequestCapped()
    {
        final SocketBufferSize capped = new SocketBufferSize(64 << 20, 8 << 20, false);
        final SocketBufferSize full = new SocketBufferSize(64 << 20, 128 << 20, true);

        assertTrue(capped.capped());
        assertTrue(capped.toString().contains("capped by net.core.wmem_max/rmem_max"), capped.toString());
        assertFalse(full.capped());
        assertTrue(full.toString().contains("(forced)"), full.toString());
    }

    @Test
    void shouldNotCallASmallRequestCapped()
    {
        try (UdpSocket socket = UdpSocket.open())
        {
            final SocketBufferSize size = socket.setReceiveBufferSize(65536);

            assertEquals(2 * 65536, size.granted());
            assertFalse(size.capped());
        }
    }

    @Test
    void shouldReturnMinusEagainWhenNothingIsQueued()
    {
        try (UdpSocket receiver = UdpSocket.open(); MmsgBatch in = new MmsgBatch(4, 64, 0))
        {
            receiver.bind(ANY_LOOPBACK_PORT);

            assertEquals(-UdpSocket.EAGAIN, receiver.receive(in, 4));
        }
    }

    @Test
    void shouldReportConnectionRefusedWhenNothingListens()
    {
        final InetSocketAddress closed;
        try (UdpSocket probe = UdpSocket.open())
        {
            probe.bind(ANY_LOOPBACK_PORT);
            closed = probe.localAddress();
        }
        try (UdpSocket sender = UdpSocket.open(); MmsgBatch out = new MmsgBatch(1, 64, 0))
        {
            sender.connect(closed);
            out.setLength(0, 16);
            int result = 0;
            for (int i = 0; i < 100 && result >= 0; i++)
            {
                result = sender.send(out, 0, 1);
            }
            assertEquals(-UdpSocket.ECONNREFUSED, result);
            assertTrue(Libc.strerror(-result).contains("refused"), Libc.strerror(-result));
        }
    }

    @Test
    void shouldNameTheAddressAndTheKernelsReasonWhenBindFails()
    {
        try (UdpSocket first = UdpSocket.open(); UdpSocket second = UdpSocket.open())
        {
            first.bind(ANY_LOOPBACK_PORT);
            final InetSocketAddress taken = first.localAddress();

            final NativeException e = assertThrows(NativeException.class, () -> second.bind(taken));

            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getPort()), e.getMessage());
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            assertEquals(98, e.errno());
        }
    }

    @Test
    void shouldRecordSourceAddressesWhenAsked()
    {
        try (UdpSocket receiver = UdpSocket.open(); UdpSocket sender = UdpSocket.open();
            MmsgBatch out = new MmsgBatch(1, 64, 0); MmsgBatch in = new MmsgBatch(2, 64, 0))
        {
            receiver.bind(ANY_LOOPBACK_PORT);
            sender.bind(ANY_LOOPBACK_PORT);
            in.captureSourceAddresses();
            out.setDestination(0, receiver.localAddress());
            out.setLength(0, 8);

            assertEquals(1, sender.send(out, 0, 1));

            assertEquals(1, receiveAtLeast(receiver, in, 1));
            assertEquals(sender.localAddress().getPort(), in.sourcePort(0));
            assertEquals(0x7F000001, in.sourceAddress(0));
            assertNotEquals(0, receiver.localAddress().getPort());
        }
    }

    @Test
    void shouldRejectBatchesOutsideTheirLimits()
    {
        assertThrows(IllegalArgumentException.class, () -> new MmsgBatch(MmsgBatch.MAX_MESSAGES + 1, 64, 0));
        try (MmsgBatch batch = new MmsgBatch(2, 64, 0))
        {
            assertThrows(IllegalArgumentException.class, () -> batch.setLength(0, 65));
            try (UdpSocket socket = UdpSocket.open())
            {
                assertThrows(IndexOutOfBoundsException.class, () -> socket.send(batch, 1, 2));
            }
        }
    }

    private static int receiveAtLeast(final UdpSocket socket, final MmsgBatch batch, final int count)
    {
        final long start = System.nanoTime();
        int n;
        do
        {
            n = socket.receive(batch, batch.capacity());
        }
        while (n < count && System.nanoTime() - start < DEADLINE_NANOS);
        return n;
    }

    private static byte[] bytes(final MemorySegment segment, final long offset, final int length)
    {
        return segment.asSlice(offset, length).toArray(JAVA_BYTE);
    }
}
