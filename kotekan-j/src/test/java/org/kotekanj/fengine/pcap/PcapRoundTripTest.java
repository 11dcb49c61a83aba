package org.kotekanj.fengine.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapRoundTripTest
{
    private static final int LOOPBACK = 0x7F000001;

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryDatagramWithItsPortsAndTimestamp() throws IOException
    {
        final Path file = dir.resolve("round.pcap");
        final int count = 300;
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = PcapWriter.create(file))
        {
            final MemorySegment payload = arena.allocate(5000);
            for (int i = 0; i < count; i++)
            {
                fill(payload, i, length(i));
                writer.write(1_700_000_000_000_000_000L + 5120L * i, payload, 0, length(i), LOOPBACK, 40000,
                    LOOPBACK + 1, 10000 + i % 4);
            }
            assertEquals(count, writer.records());
        }

        try (Arena arena = Arena.ofConfined(); PcapReader reader = PcapReader.open(file))
        {
            final MemorySegment expected = arena.allocate(5000);
            for (int i = 0; i < count; i++)
            {
                assertTrue(reader.next(), "record " + i);
                fill(expected, i, length(i));
                assertEquals(length(i), reader.payloadLength());
                assertArrayEquals(expected.asSlice(0, length(i)).toArray(JAVA_BYTE),
                    reader.segment().asSlice(reader.payloadOffset(), reader.payloadLength()).toArray(JAVA_BYTE));
                assertEquals(1_700_000_000_000_000_000L + 5120L * i, reader.timestampNanos());
                assertEquals(10000 + i % 4, reader.destinationPort());
                assertEquals(40000, reader.sourcePort());
                assertEquals(LOOPBACK, reader.sourceAddress());
                assertEquals(LOOPBACK + 1, reader.destinationAddress());
                assertFalse(reader.captureTruncated());
            }
            assertFalse(reader.next());
            assertEquals(0, reader.skipped());
        }
    }

    @Test
    void shouldWriteAValidIpv4HeaderChecksum()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment frame = arena.allocate(PcapDescriptor.FRAME_HEADERS_LENGTH);
            PcapDescriptor.writeFrameHeaders(frame, 0, 4886, 7, LOOPBACK, 40000, LOOPBACK, 10000);

            long sum = 0;
            for (int i = 0; i < PcapDescriptor.IP_HEADER_LENGTH; i += 2)
            {
                sum += PcapDescriptor.u16(frame, PcapDescriptor.IP_OFFSET + i);
            }
            while ((sum >>> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            assertEquals(0xFFFF, sum, "a correct header sums to all ones");
            assertEquals(20 + 8 + 4886, PcapDescriptor.u16(frame, PcapDescriptor.IP_TOTAL_LENGTH_OFFSET));
        }
    }

    @Test
    void shouldMatchAKnownIpv4Checksum()
    {
        // The classic worked example (RFC 1071 style): 4500 0073 0000 4000 4011 ____ c0a8 0001 c0a8 00c7 -> b861.
        final byte[] header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
            (byte)0xc0, (byte)0xa8, 0x00, 0x01, (byte)0xc0, (byte)0xa8, 0x00, (byte)0xc7};

        assertEquals(0xb861, PcapDescriptor.ipv4Checksum(MemorySegment.ofArray(header), 0, 20));
    }

    @Test
    void shouldReadBigEndianMicrosecondFilesAndSkipFramesThatAreNotUdp() throws IOException
    {
        final Path file = dir.resolve("be.pcap");
        final ByteBuffer bytes = ByteBuffer.allocate(24 + 16 + 60 + 16 + 42 + 3).order(ByteOrder.BIG_ENDIAN);
        bytes.putInt(PcapDescriptor.MAGIC_MICROS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(65535).putInt(1);
        bytes.putInt(10).putInt(250).putInt(60).putInt(60);
        final byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        bytes.put(arp);
        bytes.putInt(11).putInt(500).putInt(45).putInt(45);
        final MemorySegment frame = MemorySegment.ofArray(new byte[45]);
        PcapDescriptor.writeFrameHeaders(frame, 0, 3, 1, LOOPBACK, 1, LOOPBACK, 2);
        frame.asSlice(42).fill((byte)9);
        bytes.put(frame.toArray(JAVA_BYTE));
        Files.write(file, bytes.array());

        try (PcapReader reader = PcapReader.open(file))
        {
            assertTrue(reader.next());
            assertEquals(11_000_500_000L, reader.timestampNanos());
            assertEquals(3, reader.payloadLength());
            assertEquals(9, reader.segment().get(JAVA_BYTE, reader.payloadOffset()));
            assertEquals(1, reader.skipped(), "the ARP frame");
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldRefuseFilesThatAreNotClassicPcap() throws IOException
    {
        final Path file = dir.resolve("ng.pcapng");
        Files.write(file, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0});

        final IOException e = assertThrows(IOException.class, () -> PcapReader.open(file));
        assertTrue(e.getMessage().contains("pcapng"), e.getMessage());
    }

    @Test
    void shouldBeReadableByTcpdumpWhereInstalled() throws Exception
    {
        final Path tcpdump = Path.of("/usr/bin/tcpdump");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(tcpdump), "tcpdump is not installed");
        final Path file = dir.resolve("dump.pcap");
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = PcapWriter.create(file))
        {
            final MemorySegment payload = arena.allocate(4886);
            for (int i = 0; i < 5; i++)
            {
                writer.write(1_000_000_000L * i, payload, 0, 4886, LOOPBACK, 40000, LOOPBACK, 10000 + i);
            }
        }
        final Path log = dir.resolve("tcpdump.txt");
        final Process process = new ProcessBuilder(tcpdump.toString(), "-nn", "-v", "-r", file.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("tcpdump did not finish in 30 s");
        }
        final String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);

        assertEquals(5, output.lines().filter(l -> l.contains("UDP, length 4886")).count(), output);
        assertTrue(output.contains("127.0.0.1.40000 > 127.0.0.1.10004"), output);
        assertFalse(output.contains("bad cksum"), output);
    }

    private static int length(final int i)
    {
        return 16 + (i * 37) % 4870;
    }

    private static void fill(final MemorySegment payload, final int seed, final int length)
    {
        for (int b = 0; b < length; b++)
        {
            payload.set(JAVA_BYTE, b, (byte)(seed * 31 + b));
        }
    }

    @Test
    void shouldReadAFileCutMidRecordUpToTheCutWithOneWarningAndCountIt() throws IOException
    {
        final Path file = dir.resolve("cut.pcap");
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = PcapWriter.create(file))
        {
            final MemorySegment payload = arena.allocate(1000);
            for (int i = 0; i < 3; i++)
            {
                fill(payload, i, 1000);
                writer.write(5120L * i, payload, 0, 1000, LOOPBACK, 40000, LOOPBACK + 1, 10000);
            }
        }
        final long whole = Files.size(file);
        // Cut inside the last record's payload, then inside the last record's header.
        for (final long cut : new long[] {whole - 300, whole - (whole - PcapDescriptor.GLOBAL_HEADER_LENGTH) / 3 + 5})
        {
            final Path cutFile = dir.resolve("cut-" + cut + ".pcap");
            Files.write(cutFile, java.util.Arrays.copyOf(Files.readAllBytes(file), (int)cut));
            final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            org.kotekanj.log.Log.redirect(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            try (PcapReader reader = PcapReader.open(cutFile))
            {
                assertTrue(reader.next());
                assertTrue(reader.next());
                assertFalse(reader.next(), "the cut record is not a datagram");
                assertFalse(reader.next());
                assertEquals(2, reader.records());
                assertEquals(1, reader.truncatedRecords(), "the cut record is counted");
            }
            finally
            {
                org.kotekanj.log.Log.redirect(System.err);
            }
            final String warning = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(1, warning.lines().count(), warning);
            assertTrue(warning.contains("WARN [pcap] " + cutFile + ": the file ends inside record 2 ("), warning);
            assertTrue(warning.contains("cut short; read the 2 whole records before it"), warning);
        }
    }
}
