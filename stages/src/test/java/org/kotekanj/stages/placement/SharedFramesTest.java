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
        final StreamTable table = StreamTable.chimeNode(PacketGeometry.chime(), 2, 1, 1);
        final PlacementPlan plan = PlacementPlan.build(table, T);
        final TplusESignal signal = new TplusESignal();
        try (FrameBuffer buffer = new FrameBuffer("frames", 8, plan.layout().frameBytes(), HugePages.OFF, -1, null);
             TestTraffic traffic = new TestTraffic(table, signal))
        {
            final FrameProducer first = buffer.producer("/recv_a");
            final FrameProducer second = buffer.producer("/recv_b");
            final FrameConsumer consumer = buffer.consumer("/check");
            buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(
                plan.layout().numFreqs(), plan.numStreams(), plan.rows(), plan.numBlocks()));
            final MetricsRegistry metrics = MetricsRegistry.inMemory();
            buffer.allocate(metrics);
            final Core a = new Core(first, plan, metrics, new int[] {0, 1});
            final Core b = new Core(second, plan, metrics, new int[] {2, 3});

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

    /** One receive core: its own window, placer and counters over a shared buffer. */
    private static final class Core
    {
        final CopyQueue copies = new CopyQueue(256, new JavaCopyEngine());
        final ReceiveCounters counters;
        final FrameWindow window;
        final PacketPlacer placer;

        Core(final FrameProducer producer, final PlacementPlan plan, final MetricsRegistry metrics, final int[] owned)
        {
            counters = new ReceiveCounters(metrics, producer.stageName(), plan, new String[] {"0", "1", "2", "3"});
            window = new FrameWindow(producer, plan, copies, counters, owned, 2);
            placer = new PacketPlacer(plan, window, copies, counters, owned, T, 8L * T, 1000L * T, 4,
                new Log(producer.stageName(), Log.Level.OFF));
        }

        void place(final TestTraffic traffic, final int s0, final int s1, final long from, final long to)
        {
            for (long seq = from; seq < to; seq += 2)
            {
                for (final int s : new int[] {s0, s1})
                {
                    final MemorySegment packet = traffic.packet(s, seq);
                    placer.accept(packet.address(), (int)packet.byteSize());
                }
            }
            copies.flush();
        }

        void end()
        {
            window.publishAll();
            counters.publish();
            window.close();
        }
    }
}
