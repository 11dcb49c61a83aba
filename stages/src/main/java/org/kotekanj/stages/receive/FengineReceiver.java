package org.kotekanj.stages.receive;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.log.Log;
import org.kotekanj.stage.IdleStrategyName;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;
import org.kotekanj.stages.placement.Placement;
import org.kotekanj.stages.placement.PlacementPlan;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.placement.ReceiveEvents;
import org.kotekanj.stages.placement.SharedTimeline;
import org.kotekanj.status.BucketHistogram;
import org.kotekanj.status.MetricNames;

/**
 * The receive stage: busy-polls a {@link PacketSource} in batches, places each F-engine packet's payload once at its
 * final offset in GPU-ready {@code [freq][time][input]} frames, fills and flags what was lost, and publishes frames
 * strictly in sample-time order. Reads top to bottom: poll, place each datagram, flush the batch's copies in one
 * call, count. Its keys are read and validated once into a {@link ReceiverContext} (placement) and a
 * {@link ReceiveSourceConfig} (sockets); values other threads read (idle ratio, socket drops, totals) are counters
 * written from this thread; resets and jumps reach the logs through {@link ReceiveEvents}, off the hot path.
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
 *   # ... and the rest of ReceiverContext's keys
 * </pre>
 */
public final class FengineReceiver extends Stage
{
    private static final long[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    /** Polls between refreshes of the idle ratio and socket drops (on this thread, so no other thread reads it). */
    private static final int REFRESH_POLLS = 1 << 12;
    private static final long EVENT_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final Log log;
    private final ReceiverContext receiver;
    private final ReceiveSourceConfig sourceConfig;
    private final FrameProducer output;
    private final PacketBatch batch;
    private final Placement placement;
    private final ReceiveCounters counters;
    private final ReceiveEvents events;
    private final BucketHistogram batchSizes;
    private final AtomicCounter idleRatio;
    private final AtomicCounter[] socketDrops;
    private final AtomicLong firstPacketNanos = new AtomicLong();
    private final AtomicLong lastPacketNanos = new AtomicLong();
    private PacketSource source;
    private boolean recorded;
    /** Datagrams in the batch being placed, and the next one to place (a replay waiting for a frame stops there). */
    private int received;
    private int next;
    private boolean quietFinished;
    private long polls;
    private long emptyPolls;
    private long lastEmptyPolls;
    private long lastDataNanos;

    public FengineReceiver(final StageContext context)
    {
        super(context);
        log = context.log();
        output = context.outBuffer("out_buf");
        receiver = ReceiverContext.read(context.config(), output.buffer().numFrames());
        sourceConfig = receiver.source();
        final String shared = SharedTimeline.of(output.buffer()).own(output, receiver.ownedStreams());
        if (shared != null)
        {
            context.config().error("streams_owned", shared);
        }
        final PlacementPlan plan = receiver.plan();
        final SampleFrameLayout layout = plan.layout();
        context.requireFrameSize(output.buffer(), layout.frameBytes(), layout.numFreqs() + " freqs x " +
            layout.samplesPerFrame() + " samples x " + layout.paddedInputs() + " inputs");
        context.declareMetadata(output, FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(
            layout.numFreqs(), plan.numStreams(), plan.rows(), plan.numBlocks()));

        counters = new ReceiveCounters(context.metrics(), path(), plan,
            sourceConfig.streamPortLabels(plan.numStreams()));
        events = new ReceiveEvents(errorLogFile(context), log, EVENT_LOG_INTERVAL_NANOS);
        batch = new PacketBatch(sourceConfig.batchSize());
        placement = new Placement(receiver, output, counters, events, Math.max(1024, sourceConfig.batchSize() *
            plan.geometry().samplesPerPacket() * plan.geometry().freqsPerPacket()));
        batchSizes = context.metrics().bucketHistogram(MetricNames.RX_BATCH_SIZE, path(), BATCH_BOUNDS);
        idleRatio = context.metrics().gaugeRatio(MetricNames.RX_IDLE_RATIO, path());
        socketDrops = new AtomicCounter[sourceConfig.links()];
        for (int i = 0; i < socketDrops.length; i++)
        {
            socketDrops[i] = context.metrics().counter(MetricNames.RX_SOCKET_DROPS, path(), "port",
                sourceConfig.linkLabel(i));
        }
        context.metrics().onSample(events::drain);
        log.debug("placement: " + receiver.copyEngine().name() + " copies, " + layout.frameBytes() + "-byte frames");
    }

    /** Beside the counters file, where there is one: {@code <instance>.<stage path>.errors}. */
    private Path errorLogFile(final StageContext context)
    {
        final org.kotekanj.status.CountersFile file = context.metrics().file();
        if (file == null)
        {
            return null;
        }
        final String name = file.path().getFileName().toString();
        final String instance = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return file.path().resolveSibling(instance + path().replace('/', '.') + ".errors");
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
        log.info("receiving: " + source.describe() + "; copies: " + receiver.copyEngine().name());
        final long delay = receiver.startDelayNanos();
        if (delay > 0)
        {
            // Bound but not polling: the kernel queues the traffic (drain-rate measurements), and this core idles.
            Thread.sleep(delay / 1_000_000, (int)(delay % 1_000_000));
        }
        lastDataNanos = System.nanoTime();
    }

    @Override
    public int doWork()
    {
        if (next < received)
        {
            return placeBatch();
        }
        if ((++polls & (REFRESH_POLLS - 1)) == 0)
        {
            refreshGauges();
        }
        received = source.poll(batch);
        next = 0;
        if (received == 0)
        {
            emptyPolls++;
            publishIfQuiet();
            return 0;
        }
        return placeBatch();
    }

    /** Places the rest of the batch as a live source does: a datagram no frame can take is dropped and counted. */
    private void acceptRest()
    {
        for (; next < received; next++)
        {
            placement.accept(batch.address(next), batch.length(next));
        }
    }

    /**
     * Places the batch from datagram {@code next} on. A live source never waits: a datagram with no free frame is
     * dropped and counted. A replay is not live: it stops at such a datagram, keeps the rest of the batch, and goes
     * on from there on a later cycle, once downstream has freed a frame; it never drops and never stalls.
     */
    private int placeBatch()
    {
        final int from = next;
        if (recorded)
        {
            while (next < received && placement.offer(batch.address(next), batch.length(next)))
            {
                next++;
            }
        }
        else
        {
            acceptRest();
        }
        placement.flush();
        counters.publish();
        if (next < received)
        {
            return next - from;
        }
        source.release(batch);
        batchSizes.record(received);
        lastDataNanos = System.nanoTime();
        if (firstPacketNanos.get() == 0)
        {
            firstPacketNanos.set(lastDataNanos);
        }
        lastPacketNanos.lazySet(lastDataNanos);
        return next - from;
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
        if (placement.window().openFrames() > 0 && quiet > receiver.idlePublishNanos())
        {
            placement.publishAllAtEnd();
            counters.publish();
        }
        final long finishAfter = receiver.finishAfterIdleNanos();
        if (finishAfter > 0 && firstPacketNanos.get() != 0 && quiet > finishAfter)
        {
            quietFinished = true;
        }
    }

    /** Idle ratio of the last {@link #REFRESH_POLLS} polls and the kernel's drop counts, into counters. */
    private void refreshGauges()
    {
        idleRatio.setRelease((emptyPolls - lastEmptyPolls) * 1_000_000 / REFRESH_POLLS);
        lastEmptyPolls = emptyPolls;
        for (int i = 0; i < socketDrops.length; i++)
        {
            final long drops = source.socketDrops(i);
            if (drops >= 0)
            {
                socketDrops[i].setRelease(drops);
            }
        }
    }

    /**
     * A replay that has ended and placed its last batch, or (with {@code finish_after_idle_seconds}) traffic that
     * stopped.
     */
    @Override
    public boolean isFinished()
    {
        return quietFinished || source != null && source.isExhausted() && next >= received;
    }

    /**
     * Publishes what is open. A replay stopped while it waited for a free frame places what it can of its batch and
     * counts the rest as dropped for back-pressure, so every datagram it read is still in exactly one counter.
     */
    @Override
    public boolean onDrain()
    {
        if (next < received)
        {
            acceptRest();
            placement.flush();
            source.release(batch);
        }
        placement.publishAllAtEnd();
        counters.publish();
        return true;
    }

    @Override
    public void onClose()
    {
        if (source != null)
        {
            refreshGauges();
            source.close();
        }
        placement.close();
        events.close();
        log.info("received " + counters.sum(ReceiveCounters.PACKETS) + " packets into " + placement.window().published() +
            " frames; lost samples " + counters.sum(ReceiveCounters.LOST_SAMPLES) + ", too old " +
            counters.sum(ReceiveCounters.TOO_OLD) + ", duplicates " + counters.sum(ReceiveCounters.DUPLICATES) +
            ", dropped for back-pressure " + counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS));
    }

    /** Counts of this stage, for tests and tools. */
    public ReceiveCounters counters()
    {
        return counters;
    }

    /** Resets and jumps this stage logged (the distinct-error log and rate-limited lines). */
    public ReceiveEvents events()
    {
        return events;
    }

    /** {@code System.nanoTime()} of the first and the latest batch with data (0 before any), for rate measurements. */
    public long firstPacketNanos()
    {
        return firstPacketNanos.get();
    }

    public long lastPacketNanos()
    {
        return lastPacketNanos.get();
    }

    /** Fraction of recent polls that found nothing, as the {@code kotekan_rx_idle_ratio} counter holds it. */
    public double idleFraction()
    {
        return idleRatio.get() / 1e6;
    }

    @Override
    public String statusLine()
    {
        return (source == null ? "not started" : source.describe()) + "; " + counters.sum(ReceiveCounters.PACKETS) +
            " packets, " + placement.window().published() + " frames";
    }
}
