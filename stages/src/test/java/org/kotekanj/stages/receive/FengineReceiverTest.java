package org.kotekanj.stages.receive;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.fengine.pcap.PcapWriter;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.stage.StageContext;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive stage itself, driven by hand on its own thread: config, sockets, placement, counters, frames. */
class FengineReceiverTest
{
    /** Two streams of 8 inputs, 2 freqs, 2 samples per packet; frames of 8 samples (4 packet rows). */
    private static final String NODE = """
        frames:
          kotekan_buffer: standard
        recv:
          kotekan_stage: FengineReceiver
          out_buf: frames
          samples_per_frame: 8
          profile: generic
          samples_per_packet: 2
          freqs_per_packet: 2
          inputs_per_packet: 8
          footer_bytes: 0
          flag_word: false
          streams:
            - {stream_id: 0.0.0, freq_base: 10, input_block: 0}
            - {stream_id: 0.0.1, freq_base: 10, input_block: 1}
        """;
    private static final int T = 8;

    private final MetricsRegistry metrics = MetricsRegistry.inMemory();
    private final List<FrameBuffer> buffers = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        buffers.forEach(FrameBuffer::close);
    }

    private record Built(FengineReceiver receiver, FrameBuffer buffer, ConfigErrors errors) { }

    private Built build(final String extra, final int numFrames)
    {
        final FrameBuffer buffer = new FrameBuffer("frames", numFrames, 2L * T * 128, HugePages.OFF, -1, null);
        buffers.add(buffer);
        return build(extra, buffer);
    }

    private Built build(final String extra, final FrameBuffer buffer)
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = new StageConfig(YamlConfigLoader.parse(NODE + extra.indent(2), "recv.yaml", errors)
            .find("recv"), errors);
        final FengineReceiver receiver = new FengineReceiver(new StageContext(config, Map.of("frames", buffer),
            Map.of(), metrics, new Log("/recv", Log.Level.OFF)));
        return new Built(receiver, buffer, errors);
    }

    /**
     * Two receive stages filling one buffer must own disjoint streams: two owners of a stream would both fill and
     * flag its cells (each sees only its own ports' packets) and re-align it each on its own.
     */
    @Test
    void shouldRejectTwoReceiversOfOneBufferThatOwnTheSameStream()
    {
        final FrameBuffer shared = new FrameBuffer("frames", 4, 2L * T * 128, HugePages.OFF, -1, null);
        buffers.add(shared);
        final String first = "source: recvmmsg\nports: [15000]\n";
        final String second = "source: recvmmsg\nports: [15001]\n";
        assertEquals(List.of(), build(first + "streams_owned: [0]\n", shared).errors().list());
        assertEquals(List.of(), build(second + "streams_owned: [1]\n", shared).errors().list(),
            "disjoint streams are fine");

        final FrameBuffer overlapping = new FrameBuffer("frames", 4, 2L * T * 128, HugePages.OFF, -1, null);
        buffers.add(overlapping);
        assertEquals(List.of(), build(first, overlapping).errors().list());
        final List<String> errors = build(second, overlapping).errors().list().stream().map(ConfigError::toString)
            .toList();
        assertEquals(1, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).contains("streams_owned") && errors.get(0).contains("stream 0 is also filled by"),
            errors.get(0));
    }

    @Test
    void shouldReceivePlaceAndCountDatagramsFromItsSockets() throws Exception
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final Built built = build("source: recvmmsg\nports: [" + port + "]\nbind_address: 127.0.0.1\ncopy: java\n", 8);
        built.errors().throwIfAny();
        final FrameConsumer consumer = built.buffer().consumer("/check");
        built.buffer().allocate(metrics);
        final FengineReceiver receiver = built.receiver();
        receiver.onStart();
        try (DatagramSocket sender = new DatagramSocket())
        {
            final int datagram = PacketHeaderDescriptor.PAYLOAD_OFFSET + 2 * 2 * 8;
            final List<byte[]> sent = new ArrayList<>();
            for (long seq = 3 * T; seq < 6 * T; seq += 2)
            {
                for (int link = 0; link < 2; link++)
                {
                    sent.add(packet(StreamId.of(0, 0, link), seq, datagram));
                }
            }
            sent.add(packet(StreamId.of(0, 0, 0), 0, datagram));          // one stale datagram: too old
            sent.add(packet(StreamId.of(0, 0, 1), 6 * T, datagram - 1));  // short: malformed
            for (final byte[] bytes : sent)
            {
                sender.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
            }
            final ReceiveCounters counters = receiver.counters();
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (accounted(counters) < sent.size() && System.nanoTime() < deadline)
            {
                receiver.doWork();
            }
            assertEquals(sent.size(), accounted(counters), "every datagram in exactly one counter");
        }
        assertTrue(receiver.onDrain());
        final ReceiveCounters counters = receiver.counters();
        assertEquals(3 * T, counters.sum(ReceiveCounters.PACKETS));
        assertEquals(1, counters.total(0, ReceiveCounters.TOO_OLD));
        assertEquals(1, counters.total(1, ReceiveCounters.MALFORMED_LENGTH));
        assertEquals(0, counters.sum(ReceiveCounters.RESETS));
        final List<Long> firstSeqs = new ArrayList<>();
        int slot;
        while ((slot = consumer.tryAcquire()) >= 0)
        {
            final MemorySegment meta = consumer.metadata(slot);
            firstSeqs.add(FrameMetadataDescriptor.firstSeq(meta));
            assertEquals(0, FrameMetadataDescriptor.lostCells(meta));
            consumer.release();
        }
        assertEquals(List.of(3L * T, 4L * T, 5L * T), firstSeqs);
        for (int i = 0; i < 5000; i++)
        {
            receiver.doWork();
        }
        assertTrue(receiver.idleFraction() > 0.9, "idle ratio from the polls that found nothing");
        receiver.onClose();
    }

    @Test
    void shouldReportEveryBadReceiveKeyAsAConfigError()
    {
        final Built built = build("""
            ports: [15000, 15000]
            bind_address: 127.0.0.256
            window_frames: 4
            streams_owned: [0, 5]
            copy: fast
            jump_confirmations: 0
            """, 4);
        final List<String> errors = built.errors().list().stream().map(ConfigError::toString).toList();
        final String all = String.join("\n", errors);
        assertTrue(all.contains("ports") && all.contains("listed twice"), all);
        assertTrue(all.contains("bind_address"), all);
        assertTrue(all.contains("window_frames"), all);
        assertTrue(all.contains("streams_owned"), all);
        assertTrue(all.contains("copy"), all);
        assertTrue(all.contains("jump_confirmations"), all);
        assertEquals(6, errors.size(), all);
    }

    /**
     * A replay is not live: into a buffer of 4 frames with a window of 2 it waits for free frames instead of stalling
     * (a consumer that keeps up) or dropping (a consumer slower than the file), places every datagram and finishes
     * when the file ends.
     */
    @Test
    void shouldReplayAPcapIntoASmallBufferPlacingEveryDatagramAndFinishAtTheEndOfTheFile(@TempDir final Path dir)
        throws Exception
    {
        replayIntoFourFrames(dir, 1, 4);
    }

    @Test
    void shouldReplayAPcapIntoASmallBufferReadSlowlyWithoutDroppingADatagram(@TempDir final Path dir) throws Exception
    {
        replayIntoFourFrames(dir, 3, 64);
    }

    /** A replay stopped while it waits for a frame still accounts every datagram it read. */
    @Test
    void shouldAccountTheWaitingBatchOfAReplayStoppedWhileNoFrameIsFree(@TempDir final Path dir) throws Exception
    {
        final Path pcap = dir.resolve("replay.pcap");
        writeReplay(pcap, 16);
        final Built built = build("source: pcap\npcap_file: " + pcap + "\nwindow_frames: 2\ncopy: java\n", 4);
        built.errors().throwIfAny();
        built.buffer().consumer("/nobody");
        built.buffer().allocate(metrics);
        final FengineReceiver receiver = built.receiver();
        receiver.onStart();
        for (int i = 0; i < 100; i++)
        {
            receiver.doWork();
        }
        final ReceiveCounters counters = receiver.counters();
        assertEquals(32, counters.sum(ReceiveCounters.PACKETS), "4 frames of 8 datagrams, then it waits");
        assertEquals(0, counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS), "waiting, not dropping");
        assertFalse(receiver.isFinished());
        assertTrue(receiver.onDrain());
        assertEquals(64, accounted(counters), "the whole first batch of 64 datagrams");
        assertEquals(32, counters.sum(ReceiveCounters.PACKETS));
        assertEquals(32, counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS), "no frame was ever freed");
        receiver.onClose();
    }

    /**
     * Replays 96 frames of two streams (8 datagrams each) into 4 frames, {@code batchSize} datagrams per poll; the
     * consumer takes a frame every {@code consumeEvery} cycles.
     */
    private void replayIntoFourFrames(final Path dir, final int consumeEvery, final int batchSize) throws Exception
    {
        final int frames = 96;
        final Path pcap = dir.resolve("replay.pcap");
        final long records = writeReplay(pcap, frames);
        final Built built = build("source: pcap\npcap_file: " + pcap + "\nwindow_frames: 2\ncopy: java\nbatch_size: " +
            batchSize + "\n", 4);
        built.errors().throwIfAny();
        final FrameConsumer consumer = built.buffer().consumer("/check");
        built.buffer().allocate(metrics);
        final FengineReceiver receiver = built.receiver();
        receiver.onStart();
        final List<Long> firstSeqs = new ArrayList<>();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        long cycles = 0;
        while (!receiver.isFinished() && System.nanoTime() < deadline)
        {
            receiver.doWork();
            if (++cycles % consumeEvery == 0)
            {
                consumeOne(consumer, firstSeqs);
            }
        }
        assertTrue(receiver.isFinished(), "the replay finishes when the file ends: " + receiver.statusLine() + ", " +
            receiver.counters().sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS) + " dropped for back-pressure");
        assertTrue(receiver.onDrain());
        while (consumeOne(consumer, firstSeqs))
        {
            // Drains what the end of the replay published.
        }
        final ReceiveCounters counters = receiver.counters();
        assertEquals(records, accounted(counters), "every datagram in exactly one counter");
        assertEquals(records, counters.sum(ReceiveCounters.PACKETS), "every datagram placed");
        assertEquals(0, counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS));
        assertEquals(0, counters.sum(ReceiveCounters.LOST_SAMPLES));
        final List<Long> expected = new ArrayList<>();
        for (long f = 0; f < frames; f++)
        {
            expected.add(f * T);
        }
        assertEquals(expected, firstSeqs, "every frame once, in order, complete (-n: a frame with n lost cells)");
        receiver.onClose();
    }

    /** Writes {@code frames} frames of both streams' datagrams to a pcap; returns how many. */
    private static long writeReplay(final Path pcap, final int frames) throws IOException
    {
        final int datagram = PacketHeaderDescriptor.PAYLOAD_OFFSET + 2 * 2 * 8;
        try (PcapWriter writer = PcapWriter.create(pcap))
        {
            final MemorySegment bytes = MemorySegment.ofArray(new byte[datagram]);
            for (long seq = 0; seq < frames * T; seq += 2)
            {
                for (int link = 0; link < 2; link++)
                {
                    PacketHeaderDescriptor.write(bytes, 0, StreamId.of(0, 0, link), seq);
                    for (int t = 0; t < 2; t++)
                    {
                        for (int f = 0; f < 2; f++)
                        {
                            for (int n = 0; n < 8; n++)
                            {
                                bytes.set(JAVA_BYTE, PacketHeaderDescriptor.PAYLOAD_OFFSET + (t * 2 + f) * 8 + n,
                                    sample(seq + t, f, link * 8 + n));
                            }
                        }
                    }
                    writer.write(seq * 1000, bytes, 0, datagram, 0x7F000001, 9000, 0x7F000001, 9001);
                }
            }
            return writer.records();
        }
    }

    /** Acquires, checks every byte of and releases one frame if one is full; records its first_seq. */
    private static boolean consumeOne(final FrameConsumer consumer, final List<Long> firstSeqs)
    {
        final int slot = consumer.tryAcquire();
        if (slot < 0)
        {
            return false;
        }
        final MemorySegment meta = consumer.metadata(slot);
        final MemorySegment frame = consumer.frame(slot);
        final long firstSeq = FrameMetadataDescriptor.firstSeq(meta);
        firstSeqs.add(firstSeq);
        if (FrameMetadataDescriptor.lostCells(meta) != 0 || FrameMetadataDescriptor.flags(meta) != 0)
        {
            firstSeqs.add(-FrameMetadataDescriptor.lostCells(meta));
            consumer.release();
            return true;
        }
        for (int f = 0; f < 2; f++)
        {
            for (int t = 0; t < T; t++)
            {
                for (int input = 0; input < 16; input++)
                {
                    assertEquals(sample(firstSeq + t, f, input), frame.get(JAVA_BYTE, (f * T + t) * 128L + input));
                }
            }
        }
        consumer.release();
        return true;
    }

    /** The replayed traffic's sample of (seq, freq, input). */
    private static byte sample(final long seq, final int freq, final int input)
    {
        return (byte)(seq * 31 + freq * 7 + input * 3 + 1);
    }

    private static long accounted(final ReceiveCounters counters)
    {
        return counters.sum(ReceiveCounters.PACKETS) + counters.sum(ReceiveCounters.MALFORMED_LENGTH) +
            counters.sum(ReceiveCounters.MALFORMED_FLAGS) + counters.sum(ReceiveCounters.MALFORMED_UNKNOWN_STREAM) +
            counters.sum(ReceiveCounters.MALFORMED_OUT_OF_RANGE) + counters.sum(ReceiveCounters.TOO_OLD) +
            counters.sum(ReceiveCounters.DUPLICATES) + counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS);
    }

    private static byte[] packet(final int streamId, final long seq, final int length)
    {
        final byte[] bytes = new byte[length];
        PacketHeaderDescriptor.write(MemorySegment.ofArray(bytes), 0, streamId, seq);
        return bytes;
    }
}
