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
