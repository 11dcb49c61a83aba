package org.kotekanj.tools.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.sim.signal.TplusESignal;
import org.kotekanj.stages.placement.CopyEngine;
import org.kotekanj.stages.placement.JavaCopyEngine;
import org.kotekanj.stages.placement.Placement;
import org.kotekanj.stages.placement.ReceiveEvents;
import org.kotekanj.stages.receive.ReceiverContext;
import org.kotekanj.stages.placement.PlacementPlan;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.placement.StreamingCopyEngine;
import org.kotekanj.status.MetricsRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header parse + placement per packet with the {@code chime} profile into a 1 GiB ring of GPU-ready frames
 * (8 frames of 4 freqs x 16384 samples x 2048 inputs), in batches of 64 as the receive stage does, with a consumer
 * releasing frames in the same thread. {@code engine=none} measures header parse + placement alone (copies queued,
 * not executed); {@code streaming} adds the native non-temporal batch copy, {@code java} the
 * {@code MemorySegment.copy} fallback. {@code c} is the C reference in the same run: no placement, the same payload
 * bytes (each packet's 4096 in runs of 512) copied by a plain C loop of the widest streaming stores into consecutive
 * positions of the same frame memory, one sfence per batch (the loop {@code CopyBenchmark} measures). Payload bytes
 * per second = 4096 / (ns per packet); the placement's ratio to the C loop is {@code c / streaming} in ns.
 *
 * <pre>
 * java -cp 'tools/target/lib/*' --enable-native-access=ALL-UNNAMED org.openjdk.jmh.Main PlacementBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
public class PlacementBenchmark
{
    static final int BATCH = 64;
    static final int SAMPLES_PER_FRAME = 16384;
    static final int PAYLOAD = 4096;
    static final int RUN = 512;

    /** {@code none} queues the copies but skips them: the cost of header parse + placement alone. */
    @Param({"c", "none", "streaming", "java"})
    public String engine;

    private Arena arena;
    private FrameBuffer buffer;
    private FrameConsumer consumer;
    private ReceiveEvents events;
    private Placement placement;
    private MemorySegment packets;
    private int datagramBytes;
    private int streams;
    private long seq;
    private StreamingCopyEngine helper;
    private long ringAddress;
    private long ringMask;
    private long position;

    @Setup(Level.Trial)
    public void setUp()
    {
        final PacketGeometry geometry = PacketGeometry.chime();
        final StreamTable table = StreamTable.chimeNode(geometry, 3, 1, 0);
        final PlacementPlan plan = PlacementPlan.build(table, SAMPLES_PER_FRAME);
        buffer = new FrameBuffer("frames", 8, plan.layout().frameBytes(), HugePages.AUTO, -1, null);
        final FrameProducer producer = buffer.producer("/recv");
        consumer = buffer.consumer("/consumer");
        buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(plan.layout().numFreqs(),
            plan.numStreams(), plan.rows(), plan.numBlocks()));
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        buffer.allocate(metrics);
        helper = StreamingCopyEngine.load();
        final CopyEngine copyEngine = switch (engine)
        {
            case "streaming", "c" -> helper;
            case "none" -> new SkippedCopies();
            default -> new JavaCopyEngine();
        };
        if (copyEngine == null)
        {
            throw new IllegalStateException("the native copy helper is not built");
        }
        ringAddress = buffer.memory().address();
        ringMask = Long.highestOneBit(buffer.memory().byteSize()) - 1;
        final ReceiveCounters counters = new ReceiveCounters(metrics, "/recv", plan, new String[] {"a", "b", "c", "d"});
        events = new ReceiveEvents(null, new Log("/recv", Log.Level.OFF), 0);
        placement = new Placement(new ReceiverContext().plan(plan).copyEngine(copyEngine).conclude(), producer,
            counters, events, 4096);
        datagramBytes = geometry.datagramBytes();
        streams = table.streams().size();
        arena = Arena.ofShared();
        packets = arena.allocate((long)BATCH * datagramBytes, 64);
        final TplusESignal signal = new TplusESignal();
        for (int i = 0; i < BATCH; i++)
        {
            final StreamSpec spec = table.streams().get(i % streams);
            final long offset = (long)i * datagramBytes;
            PacketHeaderDescriptor.write(packets, offset, spec.streamId(), 0);
            for (int t = 0; t < geometry.samplesPerPacket(); t++)
            {
                for (int k = 0; k < geometry.freqsPerPacket(); k++)
                {
                    signal.fill(t, spec.freqIds()[k], spec.inputBlock() * 512, 512, packets,
                        offset + 16 + (t * 4L + k) * 512);
                }
            }
        }
    }

    /** One receive batch: 64 datagrams (16 time steps x 4 links), headers stamped with advancing seq, placed, flushed. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void placeBatch()
    {
        final long base = packets.address();
        if ("c".equals(engine))
        {
            position = helper.referenceRuns(base + PacketHeaderDescriptor.PAYLOAD_OFFSET, datagramBytes, ringAddress,
                ringMask, position, BATCH, PAYLOAD, RUN);
            return;
        }
        for (int i = 0; i < BATCH; i++)
        {
            final long offset = (long)i * datagramBytes;
            if (i % streams == 0 && i > 0)
            {
                seq += 2;
            }
            PacketHeaderDescriptor.write(packets, offset, packets.get(
                java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2) & 0xFFFF, seq);
            placement.accept(base + offset, datagramBytes);
        }
        seq += 2;
        placement.flush();
        while (consumer.tryAcquire() >= 0)
        {
            consumer.release();
        }
    }

    /** Executes nothing: isolates the placement decision from the memory traffic of the copies. */
    static final class SkippedCopies implements CopyEngine
    {
        @Override
        public void copyBatch(final MemorySegment queue, final int count)
        {
        }

        @Override
        public void copyAhead(final MemorySegment queue, final int count)
        {
        }

        @Override
        public String name()
        {
            return "none";
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        placement.close();
        events.close();
        buffer.close();
        arena.close();
    }
}
