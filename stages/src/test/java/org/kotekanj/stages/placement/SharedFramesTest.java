package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.sim.signal.TplusESignal;
import org.kotekanj.stages.receive.ReceiverContext;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two receive cores filling one set of frames, as CHIME's four links per node do: each owns two of the four streams
 * (input blocks), they agree at frame granularity on which samples each frame holds, and a frame is complete only
 * when both have published it.
 */
class SharedFramesTest
{
    private static final int T = 64;

    @Test
    void shouldAssembleFramesFromTwoReceiversThatStartAtDifferentTimes()
    {
        try (TwoCores cores = new TwoCores())
        {
            final PlacementPlan plan = cores.plan;
            final StreamTable table = cores.table;
            final TplusESignal signal = cores.signal;
            final TestTraffic traffic = cores.traffic;
            final FrameConsumer consumer = cores.consumer;
            final Core a = cores.a;
            final Core b = cores.b;

            // Core a starts at frame 10; core b joins at frame 11, so frame 10 holds only a's half (b's half lost).
            a.place(traffic, 0, 1, 10 * T, 13 * T);
            assertEquals(-1, consumer.tryAcquire(), "nothing is full until both cores publish");
            b.place(traffic, 2, 3, 11 * T, 13 * T);
            a.end();
            b.end();

            final List<Long> starts = new ArrayList<>();
            int slot;
            while ((slot = consumer.tryAcquire()) >= 0)
            {
                final MemorySegment meta = consumer.metadata(slot);
                final MemorySegment frame = consumer.frame(slot);
                final long firstSeq = FrameMetadataDescriptor.firstSeq(meta);
                starts.add(firstSeq);
                for (int s = 0; s < 4; s++)
                {
                    final boolean expectPresent = s < 2 || firstSeq >= 11 * T;
                    for (int k = 0; k < 4; k++)
                    {
                        final int freq = plan.freqIndex(s, k);
                        for (int t = 0; t < T; t++)
                        {
                            assertEquals(expectPresent, FrameMetadataDescriptor.present(meta, t / 2, freq, s));
                            for (int i = 0; i < 512; i += 97)
                            {
                                final int input = s * 512 + i;
                                final byte expected = expectPresent ?
                                    signal.sample(firstSeq + t, table.streams().get(s).freqIds()[k], input) :
                                    PacketHeaderDescriptor.FILL;
                                assertEquals(expected, frame.get(JAVA_BYTE, plan.layout().offset(freq, t, input)));
                            }
                        }
                    }
                }
                consumer.release();
            }
            assertEquals(List.of(10L * T, 11L * T, 12L * T), starts);
            assertEquals(0, a.counters.sum(ReceiveCounters.LOST_SAMPLES));
            assertEquals(2 * T, b.counters.sum(ReceiveCounters.LOST_SAMPLES), "b's two streams missed frame 10");
        }
    }

    @Test
    void shouldMergeLostCellsAndFlagsOfBothProducersIntoTheFrameMetadata()
    {
        try (TwoCores cores = new TwoCores())
        {
            final TestTraffic traffic = cores.traffic;
            final FrameConsumer consumer = cores.consumer;
            final Core a = cores.a;
            final Core b = cores.b;

            // Frame 10: a loses one packet of stream 0, b one of stream 3 (4 cells each: 4 freqs per packet).
            a.place(traffic, 0, 1, 10 * T, 11 * T, 10 * T + 8);
            b.place(traffic, 2, 3, 10 * T, 11 * T, 10 * T + 22);
            // Frames 11 and 12 complete; then b's stream 2 resets (confirmed by 4 packets), which flags b's open
            // frames (11 and 12; 10 is published).
            a.place(traffic, 0, 1, 11 * T, 13 * T);
            b.place(traffic, 2, 3, 11 * T, 13 * T);
            for (long seq = 0; seq < 8; seq += 2)
            {
                final MemorySegment packet = traffic.packet(2, seq);
                b.placement.accept(packet.address(), (int)packet.byteSize());
            }
            b.placement.flush();
            a.end();
            b.end();

            final List<Long> lostCells = new ArrayList<>();
            final List<Integer> flags = new ArrayList<>();
            int slot;
            while ((slot = consumer.tryAcquire()) >= 0)
            {
                final MemorySegment meta = consumer.metadata(slot);
                lostCells.add(FrameMetadataDescriptor.lostCells(meta));
                flags.add(FrameMetadataDescriptor.flags(meta));
                consumer.release();
            }
            assertEquals(List.of(8L, 0L, 0L), lostCells, "both producers' lost cells, summed");
            assertEquals(List.of(0, FrameMetadataDescriptor.FLAG_RESET, FrameMetadataDescriptor.FLAG_RESET), flags,
                "the second producer's reset flag");
            assertEquals(1, b.counters.total(2, ReceiveCounters.RESETS));
        }
    }

    @Test
    void shouldReAlignAResetSeenByBothProducersOntoOneEpochWhenTheFirstCoreConfirmsFirst()
    {
        resetSeenByBothProducers(true);
    }

    @Test
    void shouldReAlignAResetSeenByBothProducersOntoOneEpochWhenTheSecondCoreConfirmsFirst()
    {
        resetSeenByBothProducers(false);
    }

    /**
     * The F-engine resets every link's counter to 0 after frame 12; core b's links lost frame 12 (an outage), so b
     * alone knows less of the timeline than a. Both cores' streams must be re-aligned by the same whole number of
     * frames: the correlator multiplies inputs of both halves at the same frame time, so they must carry the same
     * F-engine sample. Every byte is checked against the signal at each stream's F-engine counter.
     */
    private void resetSeenByBothProducers(final boolean aFirst)
    {
        try (TwoCores cores = new TwoCores())
        {
            final TestTraffic traffic = cores.traffic;
            final Core a = cores.a;
            final Core b = cores.b;
            a.place(traffic, 0, 1, 10 * T, 13 * T);
            b.place(traffic, 2, 3, 10 * T, 12 * T);
            // After the reset: 3 packets per stream are rejected, the 4th confirms (jump_confirmations: 4).
            if (aFirst)
            {
                a.place(traffic, 0, 1, 0, 3 * T);
                b.place(traffic, 2, 3, 0, 3 * T);
            }
            else
            {
                b.place(traffic, 2, 3, 0, 3 * T);
                a.place(traffic, 0, 1, 0, 3 * T);
            }
            a.end();
            b.end();

            final List<Long> starts = new ArrayList<>();
            final List<Long> offsets = new ArrayList<>();
            final List<Integer> realigned = new ArrayList<>();
            int slot;
            while ((slot = cores.consumer.tryAcquire()) >= 0)
            {
                final MemorySegment meta = cores.consumer.metadata(slot);
                starts.add(FrameMetadataDescriptor.firstSeq(meta));
                long offset = -1;
                for (int s = 0; s < 4; s++)
                {
                    if (holdsData(cores.plan, meta, s))
                    {
                        final long mine = FrameMetadataDescriptor.seqOffset(meta, s);
                        assertTrue(offset < 0 || offset == mine, "frame " + FrameMetadataDescriptor.firstSeq(meta) +
                            ": stream " + s + " re-aligned by " + mine + ", another stream by " + offset);
                        offset = mine;
                    }
                }
                offsets.add(offset);
                realigned.add(FrameMetadataDescriptor.flags(meta) & FrameMetadataDescriptor.FLAG_REALIGNED);
                cores.verify(cores.consumer.frame(slot), meta);
                cores.consumer.release();
            }
            assertEquals(List.of(10L * T, 11L * T, 12L * T, 13L * T, 14L * T, 15L * T), starts);
            assertEquals(List.of(0L, 0L, 0L, 13L * T, 13L * T, 13L * T), offsets,
                "one epoch for the reset, after every frame either core opened");
            final int r = FrameMetadataDescriptor.FLAG_REALIGNED;
            assertEquals(List.of(0, 0, 0, r, r, r), realigned);
            for (int s = 0; s < 4; s++)
            {
                final Core core = s < 2 ? a : b;
                assertEquals(1, core.counters.total(s, ReceiveCounters.RESETS), "stream " + s);
                assertEquals(3 * T / 2 - 3, core.counters.total(s, ReceiveCounters.PACKETS) -
                    (s < 2 ? 3 * T / 2 : T), "stream " + s + ": every packet after the confirmation placed");
            }
        }
    }

    /** Whether any cell of stream {@code s} holds data in a frame. */
    private static boolean holdsData(final PlacementPlan plan, final MemorySegment meta, final int s)
    {
        for (int row = 0; row < plan.rows(); row++)
        {
            if (FrameMetadataDescriptor.present(meta, row, plan.freqIndex(s, 0), plan.inputBlock(s)))
            {
                return true;
            }
        }
        return false;
    }

    /** A CHIME node's four streams, two per core, into one buffer of 8 frames read by one consumer. */
    private static final class TwoCores implements AutoCloseable
    {
        final StreamTable table = StreamTable.chimeNode(PacketGeometry.chime(), 2, 1, 1);
        final PlacementPlan plan = PlacementPlan.build(table, T);
        final TplusESignal signal = new TplusESignal();
        final FrameBuffer buffer = new FrameBuffer("frames", 8, plan.layout().frameBytes(), HugePages.OFF, -1, null);
        final TestTraffic traffic = new TestTraffic(table, signal);
        final FrameConsumer consumer;
        final Core a;
        final Core b;

        TwoCores()
        {
            final FrameProducer first = buffer.producer("/recv_a");
            final FrameProducer second = buffer.producer("/recv_b");
            consumer = buffer.consumer("/check");
            buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(
                plan.layout().numFreqs(), plan.numStreams(), plan.rows(), plan.numBlocks()));
            final MetricsRegistry metrics = MetricsRegistry.inMemory();
            buffer.allocate(metrics);
            a = new Core(first, plan, metrics, new int[] {0, 1});
            b = new Core(second, plan, metrics, new int[] {2, 3});
        }

        /** Every byte of a frame: present cells hold the signal at their stream's F-engine counter, lost ones 0x88. */
        void verify(final MemorySegment frame, final MemorySegment meta)
        {
            PlacementRig.verify(plan, table, signal, frame, meta);
        }

        @Override
        public void close()
        {
            traffic.close();
            buffer.close();
        }
    }

    /** One receive core: its own window, placer and counters over a shared buffer. */
    private static final class Core
    {
        final ReceiveCounters counters;
        final ReceiveEvents events;
        final Placement placement;

        Core(final FrameProducer producer, final PlacementPlan plan, final MetricsRegistry metrics, final int[] owned)
        {
            counters = new ReceiveCounters(metrics, producer.stageName(), plan, new String[] {"0", "1", "2", "3"});
            events = new ReceiveEvents(null, new Log(producer.stageName(), Log.Level.OFF), 0);
            placement = new Placement(new ReceiverContext().plan(plan).ownedStreams(owned).jumpConfirmations(4)
                .copyEngine(new JavaCopyEngine()).conclude(), producer, counters, events, 256);
        }

        void place(final TestTraffic traffic, final int s0, final int s1, final long from, final long to)
        {
            place(traffic, s0, s1, from, to, -1);
        }

        /** Packets of streams s0 and s1 for samples [from, to), but not stream s0's (s0 even) or s1's at {@code skip}. */
        void place(final TestTraffic traffic, final int s0, final int s1, final long from, final long to,
            final long skip)
        {
            for (long seq = from; seq < to; seq += 2)
            {
                for (final int s : new int[] {s0, s1})
                {
                    if (seq == skip && (s == s0) == (skip % 4 == 0))
                    {
                        continue;
                    }
                    final MemorySegment packet = traffic.packet(s, seq);
                    placement.accept(packet.address(), (int)packet.byteSize());
                }
            }
            placement.flush();
        }

        void end()
        {
            placement.publishAll();
            counters.publish();
            placement.close();
            events.close();
        }
    }
}
