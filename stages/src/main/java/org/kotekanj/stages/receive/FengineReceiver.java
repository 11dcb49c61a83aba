package org.kotekanj.stages.receive;

import java.util.Arrays;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.stage.IdleStrategyName;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;
import org.kotekanj.stages.placement.CopyEngine;
import org.kotekanj.stages.placement.CopyQueue;
import org.kotekanj.stages.placement.FrameWindow;
import org.kotekanj.stages.placement.JavaCopyEngine;
import org.kotekanj.stages.placement.PacketPlacer;
import org.kotekanj.stages.placement.PlacementPlan;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.placement.StreamingCopyEngine;
import org.kotekanj.status.BucketHistogram;
import org.kotekanj.status.MetricNames;

/**
 * The receive stage: busy-polls a {@link PacketSource} in batches, places each F-engine packet's payload once at its
 * final offset in GPU-ready {@code [freq][time][input]} frames, fills and flags what was lost, and publishes frames
 * in sample-time order. Reads top to bottom: poll, place each datagram, flush the batch's copies in one call, count.
 *
 * <pre>
 * recv:
 *   kotekan_stage: FengineReceiver
 *   out_buf: network_buffer
 *   profile: chime             # + geometry overrides and node keys (slot, link, crate_parity | links | streams)
 *   source: recvmmsg           # recvmmsg | nio | af_packet | pcap
 *   ports: [10000, 10001, 10002, 10003]
 *   samples_per_frame: 49152   # frames hold T samples, aligned to multiples of T
 *   window_frames: 2           # open frames: late packets within them are placed, older ones are too old
 *   start_delay_seconds: 0     # bind, then wait before polling (lets socket queues fill: drain-rate benchmarks)
 *   finish_after_idle_seconds: 0  # > 0: finish (and let the pipeline drain) once traffic stopped for this long
 * </pre>
 */
public final class FengineReceiver extends Stage
{
    private static final long[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Log log;
    private final ReceiveSourceConfig sourceConfig;
    private final PacketBatch batch;
    private final CopyQueue copies;
    private final FrameWindow window;
    private final PacketPlacer placer;
    private final ReceiveCounters counters;
    private final BucketHistogram batchSizes;
    private final AtomicCounter idleRatio;
    private final AtomicCounter[] socketDrops;
    private final long idlePublishNanos;
    private final long startDelayNanos;
    private final long finishAfterIdleNanos;
    private boolean quietFinished;
    private final FrameProducer output;
    private final int windowFrames;
    private PacketSource source;
    private boolean recorded;
    private long polls;
    private long emptyPolls;
    private long lastPolls;
    private long lastEmptyPolls;
    private long lastDataNanos;
    private long firstPacketNanos;
    private long lastPacketNanos;

    public FengineReceiver(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        log = context.log();
        final PacketGeometry geometry = PacketGeometry.read(config);
        final StreamTable table = StreamTable.read(config, geometry);
        final int samplesPerFrame = config.getInt("samples_per_frame");
        final PlacementPlan plan;
        try
        {
            plan = PlacementPlan.build(table, samplesPerFrame);
        }
        catch (final IllegalArgumentException e)
        {
            config.error("samples_per_frame", e.getMessage());
            throw e;
        }
        final FrameProducer out = context.outBuffer("out_buf");
        final SampleFrameLayout layout = plan.layout();
        context.requireFrameSize(out.buffer(), layout.frameBytes(), layout.numFreqs() + " freqs x " +
            samplesPerFrame + " samples x " + layout.paddedInputs() + " inputs");
        context.declareMetadata(out, FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(layout.numFreqs(),
            plan.numStreams(), plan.rows(), plan.numBlocks()));

        sourceConfig = ReceiveSourceConfig.read(config, geometry, table.streams().size());
        windowFrames = config.getInt("window_frames", 2);
        output = out;
        if (windowFrames < 1 || windowFrames >= out.buffer().numFrames())
        {
            config.error("window_frames", "must be at least 1 and less than num_frames of " + out.buffer().name() +
                " (" + out.buffer().numFrames() + "), found " + windowFrames);
        }
        final int[] owned = config.getIntArray("streams_owned", allStreams(plan.numStreams()));
        for (final int stream : owned)
        {
            if (stream < 0 || stream >= plan.numStreams())
            {
                config.error("streams_owned", "stream index " + stream + " is not one of this node's " +
                    plan.numStreams() + " streams");
            }
        }
        final long startTolerance = config.getLong("start_tolerance_samples", samplesPerFrame);
        final long resetThreshold = config.getLong("reset_threshold_samples", 8L * samplesPerFrame);
        final long maxJump = config.getLong("max_seq_jump_samples", 1000L * samplesPerFrame);
        final int confirmations = config.getInt("jump_confirmations", 8);
        idlePublishNanos = (long)(config.getDouble("idle_publish_ms", 500) * 1e6);
        startDelayNanos = (long)(config.getDouble("start_delay_seconds", 0) * 1e9);
        finishAfterIdleNanos = (long)(config.getDouble("finish_after_idle_seconds", 0) * 1e9);
        final String copy = config.getString("copy", "streaming");
        CopyEngine engine = new JavaCopyEngine();
        if ("streaming".equals(copy))
        {
            final CopyEngine streaming = StreamingCopyEngine.load();
            if (streaming != null)
            {
                engine = streaming;
            }
        }
        else if (!"java".equals(copy))
        {
            config.error("copy", "expected streaming or java, found \"" + copy + "\"");
        }

        final String[] ports = sourceConfig.streamPortLabels(table.streams().size());
        counters = new ReceiveCounters(context.metrics(), path(), plan, ports);
        batch = new PacketBatch(sourceConfig.batchSize());
        copies = new CopyQueue(Math.max(1024, sourceConfig.batchSize() * geometry.samplesPerPacket() *
            geometry.freqsPerPacket()), engine);
        window = new FrameWindow(out, plan, copies, counters, owned, Math.max(1, windowFrames));
        placer = new PacketPlacer(plan, window, copies, counters, owned, startTolerance, resetThreshold, maxJump,
            confirmations, log);
        batchSizes = context.metrics().bucketHistogram(MetricNames.RX_BATCH_SIZE, path(), BATCH_BOUNDS);
        idleRatio = context.metrics().gaugeRatio(MetricNames.RX_IDLE_RATIO, path());
        socketDrops = new AtomicCounter[sourceConfig.links()];
        for (int i = 0; i < socketDrops.length; i++)
        {
            socketDrops[i] = context.metrics().counter(MetricNames.RX_SOCKET_DROPS, path(), "port",
                sourceConfig.linkLabel(i));
        }
        context.metrics().onSample(this::sample);
        log.debug("placement: " + engine.name() + " copies, " + layout.frameBytes() + "-byte frames");
    }

    @Override
    public IdleStrategyName defaultIdleStrategy()
    {
        return IdleStrategyName.BUSY_SPIN;
    }

    @Override
    public void onStart() throws InterruptedException
    {
        source = sourceConfig.open(log);
        recorded = source.isRecorded();
        log.info("receiving: " + source.describe() + "; copies: " + copies.engine().name());
        if (startDelayNanos > 0)
        {
            // Bound but not polling: the kernel queues the traffic (drain-rate measurements), and this core idles.
            Thread.sleep(startDelayNanos / 1_000_000, (int)(startDelayNanos % 1_000_000));
        }
        lastDataNanos = System.nanoTime();
    }

    @Override
    public int doWork()
    {
        if (recorded && output.freeFrames() <= windowFrames)
        {
            return 0;
        }
        polls++;
        final int received = source.poll(batch);
        if (received == 0)
        {
            emptyPolls++;
            publishIfQuiet();
            return 0;
        }
        for (int i = 0; i < received; i++)
        {
            placer.accept(batch.address(i), batch.length(i));
        }
        copies.flush();
        source.release(batch);
        counters.publish();
        batchSizes.record(received);
        lastDataNanos = System.nanoTime();
        if (firstPacketNanos == 0)
        {
            firstPacketNanos = lastDataNanos;
        }
        lastPacketNanos = lastDataNanos;
        return received;
    }

    /**
     * With no traffic for {@code idle_publish_ms}, open frames are published rather than held indefinitely (the cells
     * after each stream's last packet are flagged, not counted lost: the samples have not arrived, they may yet).
     */
    private void publishIfQuiet()
    {
        if ((emptyPolls & 1023) != 0)
        {
            return;
        }
        final long quiet = System.nanoTime() - lastDataNanos;
        if (window.openFrames() > 0 && quiet > idlePublishNanos)
        {
            window.publishAllAtEnd(placer.endOfStreams());
            counters.publish();
        }
        if (finishAfterIdleNanos > 0 && firstPacketNanos != 0 && quiet > finishAfterIdleNanos)
        {
            quietFinished = true;
        }
    }

    /** A replay that has ended, or (with {@code finish_after_idle_seconds}) traffic that stopped. */
    @Override
    public boolean isFinished()
    {
        return quietFinished || source != null && source.isExhausted();
    }

    @Override
    public boolean onDrain()
    {
        window.publishAllAtEnd(placer.endOfStreams());
        counters.publish();
        return true;
    }

    @Override
    public void onClose()
    {
        if (source != null)
        {
            source.close();
        }
        window.close();
        log.info("received " + counters.sum(ReceiveCounters.PACKETS) + " packets into " + window.published() +
            " frames; lost samples " + counters.sum(ReceiveCounters.LOST_SAMPLES) + ", too old " +
            counters.sum(ReceiveCounters.TOO_OLD) + ", duplicates " + counters.sum(ReceiveCounters.DUPLICATES));
    }

    private void sample()
    {
        final long p = polls;
        final long e = emptyPolls;
        if (p > lastPolls)
        {
            idleRatio.setRelease((e - lastEmptyPolls) * 1_000_000 / (p - lastPolls));
        }
        lastPolls = p;
        lastEmptyPolls = e;
        final PacketSource current = source;
        if (current != null)
        {
            for (int i = 0; i < socketDrops.length; i++)
            {
                final long drops = current.socketDrops(i);
                if (drops >= 0)
                {
                    socketDrops[i].setRelease(drops);
                }
            }
        }
    }

    /** Counts of this stage, for tests and tools. */
    public ReceiveCounters counters()
    {
        return counters;
    }

    /** {@code System.nanoTime()} of the first and the latest batch with data (0 before any), for rate measurements. */
    public long firstPacketNanos()
    {
        return firstPacketNanos;
    }

    public long lastPacketNanos()
    {
        return lastPacketNanos;
    }

    /** Fraction of polls since start that found nothing. */
    public double idleFraction()
    {
        return polls == 0 ? 0 : (double)emptyPolls / polls;
    }

    @Override
    public String statusLine()
    {
        return (source == null ? "not started" : source.describe()) + "; " + counters.sum(ReceiveCounters.PACKETS) +
            " packets, " + window.published() + " frames";
    }

    private static int[] allStreams(final int count)
    {
        final int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        return all;
    }
}
