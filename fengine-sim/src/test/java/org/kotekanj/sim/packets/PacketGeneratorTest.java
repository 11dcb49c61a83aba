package org.kotekanj.sim.packets;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.sim.SimConfigs;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.TplusESignal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketGeneratorTest
{
    private static final PacketGeometry CHIME = PacketGeometry.chime();
    private static final StreamTable NODE = StreamTable.chimeNode(CHIME, 3, 1, 0);
    private static final SampleSignal SIGNAL = new TplusESignal();

    @Test
    void shouldWriteEveryStreamsPacketsWithHeaderPayloadAndFooterFromAnUnalignedStart()
    {
        final long start = 1001;
        final PacketGenerator generator = new PacketGenerator(NODE, SIGNAL, GeneratorSettings.clean(NODE, start), 3,
            GroundTruth.none());
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, generator.slotBytes(), 0))
        {
            for (int s = 0; s < NODE.streams().size(); s++)
            {
                final StreamSpec stream = NODE.streams().get(s);

                assertEquals(3, generator.fill(s, batch, 0, Long.MAX_VALUE));

                for (int t = 0; t < 3; t++)
                {
                    final long offset = batch.slotOffset(t);
                    final MemorySegment buffer = batch.buffer();
                    assertEquals(CHIME.datagramBytes(), batch.length(t));
                    assertEquals(stream.streamId(), PacketHeaderDescriptor.streamId(buffer, offset));
                    assertEquals(start + 2L * t, PacketHeaderDescriptor.seq(buffer, offset));
                    assertEquals(0, buffer.get(JAVA_BYTE, offset));
                    assertEquals(0, PacketHeaderDescriptor.flagWord(buffer, offset, CHIME.datagramBytes()));
                    assertPayload(buffer, offset, stream, start + 2L * t);
                    for (int f = 16 + CHIME.payloadBytes(); f < CHIME.datagramBytes(); f++)
                    {
                        assertEquals(0, buffer.get(JAVA_BYTE, offset + f), "footer byte " + f);
                    }
                }
                assertTrue(generator.isDone(s));
                assertEquals(0, generator.fill(s, batch, 0, Long.MAX_VALUE));
            }
        }
    }

    @Test
    void shouldOnlyFillUpToThePacedStep()
    {
        final PacketGenerator generator = new PacketGenerator(NODE, SIGNAL, GeneratorSettings.clean(NODE, 0),
            Long.MAX_VALUE, GroundTruth.none());
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, generator.slotBytes(), 0))
        {
            assertEquals(5, generator.fill(0, batch, 0, 5));
            assertEquals(0, generator.fill(0, batch, 0, 5));
            assertEquals(MmsgBatch.MAX_MESSAGES - generator.maxDatagramsPerStep() + 1,
                generator.fill(0, batch, 0, Long.MAX_VALUE), "stops while a whole step still fits");
            generator.stop();
            assertEquals(0, generator.fill(0, batch, 0, Long.MAX_VALUE));
            assertTrue(generator.isDone(0));
        }
    }

    @Test
    void shouldStartEachLinkAfterItsSkew()
    {
        final ConfigErrors errors = new ConfigErrors();
        final GeneratorSettings settings = GeneratorSettings.read(SimConfigs.stage(
            "start_seq: 10\nstart_skew_packets: [0, 3, 1, 7]\n", errors), CHIME, NODE);
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        final PacketGenerator generator = new PacketGenerator(NODE, SIGNAL, settings, 10, GroundTruth.none());
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, generator.slotBytes(), 0))
        {
            final long[] skews = {0, 3, 1, 7};
            for (int s = 0; s < 4; s++)
            {
                assertEquals(10 - skews[s], generator.fill(s, batch, 0, Long.MAX_VALUE));
                assertEquals(10 + 2 * skews[s], PacketHeaderDescriptor.seq(batch.buffer(), 0));
            }
        }
    }

    @Test
    void shouldLetATestReconstructEveryDatagramFromTheGroundTruthAlone()
    {
        final GeneratorSettings settings = everything(7);
        final long steps = 3000;
        final GroundTruth truth = GroundTruth.inMemory();
        final PacketGenerator generator = new PacketGenerator(NODE, SIGNAL, settings, steps, truth);

        final List<List<SentDatagram>> sent = drain(generator);
        generator.finish();

        for (final EventType type : EventType.values())
        {
            assertTrue(generator.count(type) > 0, "the run exercises " + type);
        }
        for (int s = 0; s < NODE.streams().size(); s++)
        {
            assertEquals(GroundTruthOracle.expected(NODE, settings, steps, s, truth.events()), sent.get(s),
                "stream " + s);
            assertEquals(sent.get(s).size(), generator.datagrams(s));
        }
    }

    @Test
    void shouldMakeTheSameChoicesForTheSameSeedAndOthersForAnother()
    {
        final GroundTruth first = GroundTruth.inMemory();
        final GroundTruth again = GroundTruth.inMemory();
        final GroundTruth other = GroundTruth.inMemory();
        drain(new PacketGenerator(NODE, SIGNAL, everything(1), 1000, first));
        drain(new PacketGenerator(NODE, SIGNAL, everything(1), 1000, again));
        drain(new PacketGenerator(NODE, SIGNAL, everything(2), 1000, other));

        assertEquals(first.events(), again.events());
        assertNotEquals(first.events(), other.events());
    }

    @Test
    void shouldKeepBurstsAndOutagesContiguousAndWithinTheirBounds()
    {
        final GroundTruth truth = GroundTruth.inMemory();
        final ConfigErrors errors = new ConfigErrors();
        final GeneratorSettings settings = GeneratorSettings.read(SimConfigs.stage("""
            impairments:
              burst_loss: {rate: 0.01, min_packets: 3, max_packets: 9}
              outage: {rate: 0.002, packets: 40}
            """, errors), CHIME, NODE);
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        final long steps = 5000;
        final PacketGenerator generator = new PacketGenerator(NODE, SIGNAL, settings, steps, truth);

        final List<List<SentDatagram>> sent = drain(generator);
        generator.finish();

        long lost = 0;
        for (final GroundTruthEvent e : truth.events())
        {
            if (e.type() == EventType.BURST_LOSS)
            {
                assertTrue(e.value() >= 3 && e.value() <= 9 || e.step() + e.value() == steps, e.toString());
            }
            else
            {
                assertEquals(EventType.OUTAGE, e.type());
                assertTrue(e.value() == 40 || e.step() + e.value() == steps, e.toString());
            }
            lost += e.value();
        }
        final long received = sent.stream().mapToLong(List::size).sum();
        assertEquals(4 * steps - lost, received);
    }

    @Test
    void shouldNotAllocateWhileGeneratingHealthyPackets()
    {
        final PacketGenerator generator = new PacketGenerator(NODE, (seq, freq, input) -> (byte)0x99,
            GeneratorSettings.clean(NODE, 0), Long.MAX_VALUE, GroundTruth.none());
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, generator.slotBytes(), 0))
        {
            for (int i = 0; i < 4000; i++)
            {
                generator.fill(i % 4, batch, 0, Long.MAX_VALUE);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 4000; i++)
            {
                generator.fill(i % 4, batch, 0, Long.MAX_VALUE);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertTrue(allocated < 4096, allocated + " bytes allocated for " + 4000 * 63 + " packets");
        }
    }

    /** Every impairment at rates that hit each a few times in a few thousand steps. */
    static GeneratorSettings everything(final long seed)
    {
        final ConfigErrors errors = new ConfigErrors();
        final GeneratorSettings settings = GeneratorSettings.read(SimConfigs.stage("""
            seed: %d
            start_seq: 12345
            max_start_skew_packets: 5
            rate: max
            impairments:
              loss: {rate: 0.01}
              burst_loss: {rate: 0.002, min_packets: 2, max_packets: 6}
              outage: {rate: 0.0005, packets: 20}
              reorder: {rate: 0.01, window: 5}
              duplicate: {rate: 0.01}
              truncated: {rate: 0.005, length: 100}
              oversized: {rate: 0.005, extra_bytes: 16}
              unknown_stream: {rate: 0.005, stream_id: 0xF000}
              error_flags: {rate: 0.005, flags: 0x100}
              seq_jump: {rate: 0.002, samples: 64}
              seq_back: {rate: 0.002, samples: 6}
              reset: {rate: 0.001, to_seq: 0}
            """.formatted(seed), errors), CHIME, NODE);
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        return settings;
    }

    /** Runs a generator to its end, decoding every datagram of every stream. */
    static List<List<SentDatagram>> drain(final PacketGenerator generator)
    {
        final List<List<SentDatagram>> sent = new ArrayList<>();
        final int datagram = generator.table().geometry().datagramBytes();
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, generator.slotBytes(), 0))
        {
            for (int s = 0; s < generator.streamCount(); s++)
            {
                sent.add(new ArrayList<>());
            }
            while (!generator.isDone())
            {
                for (int s = 0; s < generator.streamCount(); s++)
                {
                    final int n = generator.fill(s, batch, 0, Long.MAX_VALUE);
                    for (int i = 0; i < n; i++)
                    {
                        final long offset = batch.slotOffset(i);
                        sent.get(s).add(new SentDatagram(s, PacketHeaderDescriptor.streamId(batch.buffer(), offset),
                            PacketHeaderDescriptor.seq(batch.buffer(), offset), batch.length(i),
                            PacketHeaderDescriptor.flagWord(batch.buffer(), offset, datagram)));
                    }
                }
            }
        }
        return sent;
    }

    private static void assertPayload(final MemorySegment buffer, final long offset, final StreamSpec stream,
        final long seq)
    {
        long at = offset + PacketHeaderDescriptor.PAYLOAD_OFFSET;
        for (int t = 0; t < CHIME.samplesPerPacket(); t++)
        {
            for (int k = 0; k < CHIME.freqsPerPacket(); k++)
            {
                for (int n = 0; n < CHIME.inputsPerPacket(); n++)
                {
                    final int input = stream.inputBlock() * CHIME.inputsPerPacket() + n;
                    assertEquals(SIGNAL.sample(seq + t, stream.freqIds()[k], input), buffer.get(JAVA_BYTE, at++));
                }
            }
        }
    }
}
