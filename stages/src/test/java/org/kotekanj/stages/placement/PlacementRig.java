package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.stages.receive.ReceiverContext;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A receive placement wired to a real frame buffer without a stage or sockets: datagrams in, frames out, with a
 * byte-by-byte check of every published frame against the signal (at each stream's F-engine counter, so re-aligned
 * streams are checked too) and its presence map.
 */
final class PlacementRig implements AutoCloseable
{
    final PlacementPlan plan;
    final FrameBuffer buffer;
    final FrameProducer producer;
    final FrameConsumer consumer;
    final ReceiveCounters counters;
    final ReceiveEvents events;
    final Placement placement;
    final SampleSignal signal;
    final StreamTable table;

    PlacementRig(final StreamTable table, final int samplesPerFrame, final int numFrames, final int windowFrames,
        final SampleSignal signal, final CopyEngine engine)
    {
        this(table, samplesPerFrame, numFrames, windowFrames, signal, engine, new Log("/recv", Log.Level.OFF));
    }

    PlacementRig(final StreamTable table, final int samplesPerFrame, final int numFrames, final int windowFrames,
        final SampleSignal signal, final CopyEngine engine, final Log log)
    {
        this.signal = signal;
        this.table = table;
        plan = PlacementPlan.build(table, samplesPerFrame);
        final SampleFrameLayout layout = plan.layout();
        buffer = new FrameBuffer("frames", numFrames, layout.frameBytes(), HugePages.OFF, -1, null);
        producer = buffer.producer("/recv");
        consumer = buffer.consumer("/check");
        buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(layout.numFreqs(),
            plan.numStreams(), plan.rows(), plan.numBlocks()));
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        buffer.allocate(metrics);
        final String[] ports = new String[plan.numStreams()];
        java.util.Arrays.fill(ports, "test");
        counters = new ReceiveCounters(metrics, "/recv", plan, ports);
        events = new ReceiveEvents(null, log, 10_000_000_000L);
        final ReceiverContext context = new ReceiverContext().plan(plan).windowFrames(windowFrames)
            .jumpConfirmations(4).copyEngine(engine).conclude();
        placement = new Placement(context, producer, counters, events, 1024);
    }

    /** Places datagrams as one batch (copies flushed at the end, as the stage does). */
    void place(final MemorySegment... datagrams)
    {
        for (final MemorySegment datagram : datagrams)
        {
            placement.accept(datagram.address(), (int)datagram.byteSize());
        }
        placement.flush();
    }

    void place(final List<MemorySegment> datagrams)
    {
        place(datagrams.toArray(new MemorySegment[0]));
    }

    /** Publishes the window and returns the first sample counter of every published frame, releasing them. */
    List<Long> drainFrames(final FrameCheck check)
    {
        placement.publishAll();
        counters.publish();
        final List<Long> firstSeqs = new ArrayList<>();
        int slot;
        while ((slot = consumer.tryAcquire()) >= 0)
        {
            final MemorySegment meta = consumer.metadata(slot);
            firstSeqs.add(FrameMetadataDescriptor.firstSeq(meta));
            check.check(consumer.frame(slot), meta);
            consumer.release();
        }
        return firstSeqs;
    }

    /** Looks at one published frame. */
    interface FrameCheck
    {
        void check(MemorySegment frame, MemorySegment metadata);
    }

    /**
     * Every byte of a frame: present cells equal the signal, lost cells and padding are 0x88. Returns the number of
     * lost (row, freq, block) cells.
     */
    long verify(final MemorySegment frame, final MemorySegment meta)
    {
        return verify(plan, table, signal, frame, meta);
    }

    /** {@link #verify(MemorySegment, MemorySegment)} of a frame placed by {@code plan} from {@code table}'s streams. */
    static long verify(final PlacementPlan plan, final StreamTable table, final SampleSignal signal,
        final MemorySegment frame, final MemorySegment meta)
    {
        final SampleFrameLayout layout = plan.layout();
        final long firstSeq = FrameMetadataDescriptor.firstSeq(meta);
        final int np = plan.geometry().inputsPerPacket();
        final int spp = plan.geometry().samplesPerPacket();
        long lost = 0;
        for (int s = 0; s < plan.numStreams(); s++)
        {
            final int block = plan.inputBlock(s);
            // A stream re-aligned after a reset or jump holds, at frame time t, its F-engine counter t - offset.
            final long sourceFirstSeq = firstSeq - FrameMetadataDescriptor.seqOffset(meta, s);
            for (int k = 0; k < plan.geometry().freqsPerPacket(); k++)
            {
                final int f = plan.freqIndex(s, k);
                final int freqId = table.streams().get(s).freqIds()[k];
                for (int t = 0; t < layout.samplesPerFrame(); t++)
                {
                    final boolean present = FrameMetadataDescriptor.present(meta, t / spp, f, block);
                    if (!present && t % spp == 0)
                    {
                        lost++;
                    }
                    for (int i = 0; i < np; i++)
                    {
                        final int input = block * np + i;
                        final byte expected = present ? signal.sample(sourceFirstSeq + t, freqId, input) :
                            PacketHeaderDescriptor.FILL;
                        final byte actual = frame.get(JAVA_BYTE, layout.offset(f, t, input));
                        if (actual != expected)
                        {
                            throw new AssertionError("frame at seq " + firstSeq + ": freq index " + f + ", t " + t +
                                ", input " + input + (present ? " (present)" : " (lost)") + ": expected " +
                                (expected & 0xFF) + " got " + (actual & 0xFF));
                        }
                    }
                }
            }
        }
        for (int f = 0; f < layout.numFreqs(); f++)
        {
            for (int t = 0; t < layout.samplesPerFrame(); t++)
            {
                for (int input = plan.numInputs(); input < layout.paddedInputs(); input++)
                {
                    if (frame.get(JAVA_BYTE, layout.offset(f, t, input)) != PacketHeaderDescriptor.FILL)
                    {
                        throw new AssertionError("padding input " + input + " is not 0x88");
                    }
                }
            }
        }
        return lost;
    }

    @Override
    public void close()
    {
        placement.close();
        events.close();
        buffer.close();
    }
}
