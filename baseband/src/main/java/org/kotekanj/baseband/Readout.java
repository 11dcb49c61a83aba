package org.kotekanj.baseband;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.baseband.api.GpsTimeRequest;
import org.kotekanj.baseband.api.TriggerRequest;
import org.kotekanj.baseband.plan.DumpPlanner;
import org.kotekanj.baseband.plan.FreqPlan;
import org.kotekanj.baseband.plan.Predicted;
import org.kotekanj.baseband.plan.RingState;
import org.kotekanj.baseband.plan.TimeReference;
import org.kotekanj.baseband.ring.RingIndex;
import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.buffer.FrameReader;
import org.kotekanj.log.Log;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;
import org.kotekanj.status.MetricsRegistry;

/**
 * The baseband readout: triggers in (REST threads), windows copied out of the ring into staging (the owning stage's
 * thread, {@link #doWork}), files written by a {@link DumpWriter} thread. REST threads plan and validate a trigger
 * against a published snapshot of the ring and hand it over through a queue; they never touch the ring. Nothing
 * here can make the receive path wait: the ring is read through a {@link FrameReader}.
 */
public final class Readout implements AutoCloseable
{
    /** Extra bytes per file beyond the samples (HDF5 metadata, index maps), for the free-space check. */
    static final long FILE_OVERHEAD_BYTES = 64 << 10;

    private final FrameReader reader;
    private final NodeShape shape;
    private final ReadoutSettings settings;
    private final FreeSpace freeSpace;
    private final BasebandMetrics metrics;
    private final Log log;
    private final RingIndex index;
    private final DumpPlanner planner;
    private final StagingArea staging;
    private final DumpWriter writer;
    private final RingCopier copier;
    private final Map<Long, BasebandEvent> events = new LinkedHashMap<>();
    private final Queue<BasebandEvent> inbox = new ConcurrentLinkedQueue<>();
    /** The stage's thread, unparked by a trigger so that a backing-off stage starts the copy at once. */
    private volatile Thread stageThread;
    private final List<BasebandEvent> active = new ArrayList<>();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final long copyBudgetRows;
    private volatile TimeReference time;
    /** Orders the rare writes of {@link #time}: the stage thread's (first packets) and a REST thread's (GPS). */
    private final Object timeWrites = new Object();
    private volatile boolean exiting;
    private long lastGaugeNanos;
    private volatile double untilOverwriteSeconds;
    /** Made-up triggers run through the REST path at start (see {@link #warmTriggerPath}). */
    static final int WARM_TRIGGERS = 20;
    /** How many of them ran to the end (a test checks that the warm-up is not a silent no-op). */
    int warmedTriggers;

    public Readout(final FrameReader reader, final NodeShape shape, final ReadoutSettings settings,
        final FreeSpace freeSpace, final MetricsRegistry registry, final Log log, final String name)
    {
        this.reader = reader;
        this.shape = shape;
        this.settings = settings;
        this.freeSpace = freeSpace;
        this.metrics = new BasebandMetrics(registry, name);
        this.log = log;
        this.index = new RingIndex(reader, shape.samplesPerFrame());
        this.planner = new DumpPlanner(new DumpPlanner.Node(shape.freqIds(), shape.freqMhz(), shape.numInputs(),
            shape.samplePeriodNs(), settings.kDm(),
            (long)Math.floor(settings.maxDumpSeconds() * 1e9 / shape.samplePeriodNs())));
        this.staging = new StagingArea(settings.stagingBytes());
        this.writer = new DumpWriter(staging, this, freeSpace, log, "baseband-writer" + name);
        final int chunkRows = chunkRows(settings.chunkBytes(), shape.numInputs());
        this.copier = new RingCopier(reader, index, new RingCopier.Shape(shape.samplesPerFrame(), shape.numInputs(),
            shape.paddedInputs(), shape.numBlocks(), shape.blockStreams()), staging, chunkRows,
            writer.queue()::add, metrics);
        this.copyBudgetRows = Math.max(chunkRows, settings.copyBudgetBytes() / shape.numInputs());
        if (settings.frame0Nanos() >= 0)
        {
            time = new TimeReference(settings.frame0Nanos(), TimeReference.CONFIG, 0);
        }
    }

    /**
     * Rows per staged chunk: as many as {@code chunkBytes} holds, rounded down to a multiple that makes a chunk's
     * sample bytes whole pages (so that consecutive chunks stay page-aligned in the file, for O_DIRECT).
     */
    static int chunkRows(final long chunkBytes, final int numInputs)
    {
        final long rows = Math.max(1, chunkBytes / (numInputs + 1));
        final long multiple = StagingArea.ALIGNMENT / gcd(StagingArea.ALIGNMENT, numInputs);
        return (int)(rows >= multiple ? rows / multiple * multiple : rows);
    }

    private static long gcd(final long a, final long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Maps staging and starts the writer thread (not at construction, which {@code check} also does). */
    public void start()
    {
        staging.open();
        writer.start();
        warmedTriggers = warmTriggerPath();
    }

    /**
     * Runs what a REST thread does for a trigger (parse, plan, the event and its JSON, the directory and free-space
     * look-ups) on a made-up request, a few times and with no effect, so that the first real trigger does not pay for
     * class loading and interpreted code: that was 15 ms of the first trigger's 20 ms to its first byte copied.
     */
    private int warmTriggerPath()
    {
        final long capacity = (long)reader.numFrames() * shape.samplesPerFrame();
        final byte[] body = ("{\"event_id\": 0, \"start_fpga\": " + capacity / 2 + ", \"duration_nano\": " +
            16 * shape.samplePeriodNs() + ", \"dm\": 1.0, \"dm_error\": 0.1, \"file_path\": \"warm-up\", " +
            "\"source\": \"test\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final TimeReference made = new TimeReference(0, TimeReference.CONFIG, 0);
        for (int i = 0; i < WARM_TRIGGERS; i++)
        {
            try
            {
                final TriggerRequest request = TriggerRequest.parse(body, settings.refFreqMhz());
                final List<FreqPlan> plans = planner.plan(request, new RingState(0, capacity, capacity), made);
                final BasebandEvent event = new BasebandEvent(request, made, settings.archiveRoot(), plans,
                    Instant.now(), System.nanoTime());
                Json.write(event.planJson());
                Json.write(event.statusJson());
                java.nio.file.Files.exists(event.directory());
                FreeSpace.fileSystem().usableBytes(event.directory());
            }
            catch (final IOException | RuntimeException e)
            {
                log.debug("baseband: warming the trigger path: " + e.getMessage());
                return i;
            }
        }
        return WARM_TRIGGERS;
    }

    // ---- stage thread ---------------------------------------------------------------------------------------------

    /** One bounded step on the owning stage's thread: learn new frames, take new events, copy. */
    public int doWork()
    {
        if (stageThread == null)
        {
            stageThread = Thread.currentThread();
        }
        int work = index.update();
        updateTime();
        BasebandEvent event;
        while ((event = inbox.poll()) != null)
        {
            event.taken(System.nanoTime());
            activate(event);
            work++;
        }
        long budget = copyBudgetRows;
        final Iterator<BasebandEvent> it = active.iterator();
        copying:
        while (it.hasNext() && budget > 0)
        {
            final BasebandEvent e = it.next();
            boolean pending = false;
            for (final FreqDump dump : e.copyOrder())
            {
                if (dump.copyDone || dump.status().isFinal())
                {
                    continue;
                }
                if (e.isCancelled())
                {
                    end(dump, DumpStatus.ERROR, "cancelled");
                    continue;
                }
                final long began = System.nanoTime();
                final long copied = copier.copy(dump, budget);
                if (copied > 0)
                {
                    dump.phases.add(DumpPhases.Phase.COPY, System.nanoTime() - began);
                }
                if (copied < 0)
                {
                    pending = true;
                    break copying;
                }
                budget -= copied;
                if (dump.copyDone)
                {
                    dump.phases.mark("copied", e.receivedNanos());
                }
                work += copied > 0 ? 1 : 0;
                if (!dump.copyDone)
                {
                    pending = true;
                }
                if (budget <= 0)
                {
                    pending = pending || !allCopied(e);
                    break copying;
                }
            }
            if (!pending && allCopied(e))
            {
                e.copyFinished();
                it.remove();
            }
        }
        gauges();
        return work;
    }

    /** True when the ring's producers have closed and every frame they published has been seen. */
    public boolean ringEnded()
    {
        return reader.producersClosed();
    }

    /** Shutdown: every dump not yet ended ends as {@code error}, reason {@code exiting}; waits for the writer. */
    public void exit()
    {
        exiting = true;
        final List<BasebandEvent> all;
        synchronized (events)
        {
            all = new ArrayList<>(events.values());
        }
        for (final BasebandEvent event : all)
        {
            for (final FreqDump dump : event.dumps())
            {
                end(dump, DumpStatus.ERROR, "exiting");
            }
        }
        try
        {
            writer.stop(10_000);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        if (!exiting)
        {
            exit();
        }
        if (!writer.isRunning())
        {
            staging.close();
        }
    }

    private void activate(final BasebandEvent event)
    {
        active.add(event);
        for (final FreqDump dump : event.dumps())
        {
            if (dump.plan().predicted() == Predicted.LATE || dump.plan().planned().isEmpty())
            {
                end(dump, DumpStatus.ERROR, dump.plan().predicted() == Predicted.LATE ?
                    "late: the window was overwritten before the trigger arrived" : "empty window");
            }
        }
    }

    private static boolean allCopied(final BasebandEvent e)
    {
        for (final FreqDump dump : e.dumps())
        {
            if (!dump.copyDone && !dump.status().isFinal())
            {
                return false;
            }
        }
        return true;
    }

    private void updateTime()
    {
        final TimeReference t = time;
        if (t != null && (t.firstPacketRecvNanos() != 0 || index.firstArrivalNanos() == 0))
        {
            return;
        }
        synchronized (timeWrites)
        {
            if (time == null)
            {
                final long frame0 = index.frame0FromArrival(shape.samplePeriodNs());
                if (frame0 != 0)
                {
                    time = new TimeReference(frame0, TimeReference.PACKET_RECV, index.firstArrivalNanos());
                }
            }
            else if (time.firstPacketRecvNanos() == 0 && index.firstArrivalNanos() != 0)
            {
                time = new TimeReference(time.frame0Nanos(), time.type(), index.firstArrivalNanos());
            }
        }
    }

    private void gauges()
    {
        final long now = System.nanoTime();
        if (now - lastGaugeNanos < 100_000_000L)
        {
            return;
        }
        lastGaugeNanos = now;
        final RingState ring = index.state();
        final double span = ring.hasData() ? (ring.end() - ring.oldest()) * shape.samplePeriodNs() * 1e-9 : 0;
        double until = span;
        for (final BasebandEvent e : active)
        {
            for (final FreqDump dump : e.dumps())
            {
                if (!dump.copyDone && !dump.status().isFinal() && dump.copyNext < ring.end())
                {
                    until = Math.min(until, Math.max(0, dump.copyNext - ring.oldest()) * shape.samplePeriodNs() * 1e-9);
                }
            }
        }
        metrics.ring(span, until);
        untilOverwriteSeconds = until;
    }

    // ---- any thread -----------------------------------------------------------------------------------------------

    /** Ends a dump once (first caller wins): counts it and, when its event has ended, queues the manifest. */
    void end(final FreqDump dump, final DumpStatus status, final String reason)
    {
        final boolean wasRunning = dump.status() == DumpStatus.INPROGRESS;
        if (!dump.finish(status, reason))
        {
            return;
        }
        metrics.readout(dump.plan().freqId(), status);
        if (wasRunning)
        {
            metrics.inProgress(dump.plan().freqId(), -1);
        }
        if (dump.event().isFinished())
        {
            unfinished.decrementAndGet();
            writer.queueManifest(dump.event());
        }
    }

    /** Stops an event after a write failure: every dump not yet ended ends as {@code error} with the reason. */
    void failEvent(final BasebandEvent event, final String reason)
    {
        event.cancel();
        for (final FreqDump dump : event.dumps())
        {
            end(dump, DumpStatus.ERROR, reason);
        }
    }

    /** Test seam: the writer, for {@link DumpWriter#hashGate}. */
    DumpWriter writer()
    {
        return writer;
    }

    BasebandMetrics metrics()
    {
        return metrics;
    }

    double kDm()
    {
        return settings.kDm();
    }

    long samplePeriodNs()
    {
        return shape.samplePeriodNs();
    }

    public TimeReference timeReference()
    {
        return time;
    }

    public RingState ringState()
    {
        return index.state();
    }

    // ---- REST threads ---------------------------------------------------------------------------------------------

    /** {@code POST /baseband}. */
    public RestResponse trigger(final RestRequest http)
    {
        final long receivedNanos = System.nanoTime();
        final Instant received = Instant.now();
        metrics.request();
        try
        {
            final TriggerRequest request = TriggerRequest.parse(http.body(), settings.refFreqMhz());
            synchronized (events)
            {
                final BasebandEvent existing = events.get(request.eventId());
                if (existing != null)
                {
                    if (existing.request().sameAs(request))
                    {
                        return RestResponse.json(200, existing.planJson());
                    }
                    throw new RestException(409, "event_id " + request.eventId() + " was already triggered with a " +
                        "different body", "event_id");
                }
                if (exiting)
                {
                    throw new RestException(503, "the node is shutting down", null);
                }
                final List<FreqPlan> plans = planner.plan(request, index.state(), time);
                if (unfinished.get() >= settings.maxQueuedEvents())
                {
                    throw new RestException(503, "dump queue full: " + unfinished.get() + " events in progress " +
                        "(max_queued_events)", null);
                }
                final BasebandEvent event = new BasebandEvent(request, time, settings.archiveRoot(), plans, received,
                    receivedNanos);
                if (java.nio.file.Files.exists(event.directory()))
                {
                    throw new RestException(409, "event " + request.eventId() + " already has files in " +
                        event.relativeDirectory() + " (from an earlier run)", "event_id");
                }
                checkDisk(event);
                events.put(request.eventId(), event);
                evictOld();
                unfinished.incrementAndGet();
                event.queued(System.nanoTime());
                inbox.add(event);
                final Thread copier = stageThread;
                if (copier != null)
                {
                    LockSupport.unpark(copier);
                }
                return RestResponse.json(202, event.planJson());
            }
        }
        catch (final RestException e)
        {
            metrics.rejected(e.status());
            throw e;
        }
    }

    /**
     * {@code POST /gps_time}: a GPS-disciplined {@code frame0} replaces the node's time reference (events already
     * triggered keep the one they were planned with); the reply is the reference now in use.
     */
    public RestResponse gpsTime(final RestRequest http)
    {
        final Instant now = Instant.now();
        final GpsTimeRequest request = GpsTimeRequest.parse(http.body(),
            now.getEpochSecond() * 1_000_000_000L + now.getNano());
        final TimeReference old;
        final TimeReference gps;
        synchronized (timeWrites)
        {
            old = time;
            gps = new TimeReference(request.frame0Nanos(), TimeReference.GPS,
                old != null ? old.firstPacketRecvNanos() : 0);
            time = gps;
        }
        if (old == null || !old.type().equals(TimeReference.GPS) || old.frame0Nanos() != gps.frame0Nanos())
        {
            log.info(String.format("time reference: GPS frame0 %d ns%s", gps.frame0Nanos(), old == null ? "" :
                String.format(" (was %s, %+.3f ms from it)", old.type(), (gps.frame0Nanos() - old.frame0Nanos()) *
                1e-6)));
        }
        final ObjectNode o = Json.object();
        o.put("type_time0_ctime", gps.type());
        o.put("frame0_unix_nano", gps.frame0Nanos());
        return RestResponse.ok(o);
    }

    /** {@code GET /baseband}: recent events, newest last. */
    public RestResponse list(final RestRequest http)
    {
        final ArrayNode all = Json.MAPPER.createArrayNode();
        synchronized (events)
        {
            for (final BasebandEvent event : events.values())
            {
                all.add(summary(event));
            }
        }
        return RestResponse.ok(all);
    }

    /** {@code GET /baseband/{event_id}}. */
    public RestResponse get(final RestRequest http)
    {
        return RestResponse.ok(find(http).statusJson());
    }

    /** {@code DELETE /baseband/{event_id}}: cancels; its files end as {@code error}, reason {@code cancelled}. */
    public RestResponse cancel(final RestRequest http)
    {
        final BasebandEvent event = find(http);
        event.cancel();
        for (final FreqDump dump : event.dumps())
        {
            end(dump, DumpStatus.ERROR, "cancelled");
        }
        return RestResponse.ok(event.statusJson());
    }

    /** The event named by the request's {@code event_id} path parameter; 400 or 404 otherwise. */
    public BasebandEvent find(final RestRequest http)
    {
        final String text = http.pathParam("event_id");
        final long id;
        try
        {
            id = Long.parseLong(text);
        }
        catch (final NumberFormatException e)
        {
            throw new RestException(400, "event_id must be an integer, found '" +
                (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'", "event_id");
        }
        synchronized (events)
        {
            final BasebandEvent event = events.get(id);
            if (event == null)
            {
                throw new RestException(404, "no event " + id + " on this node", "event_id");
            }
            return event;
        }
    }

    /** {@code GET /baseband/ring}: the samples the ring holds now, its span and the time reference. */
    public RestResponse ring(final RestRequest http)
    {
        final RingState ring = index.state();
        final ObjectNode o = Json.object();
        o.put("buffer", reader.buffer().name());
        o.put("frames", reader.numFrames());
        o.put("capacity_seconds", ring.capacity() * shape.samplePeriodNs() * 1e-9);
        o.put("oldest_fpga", ring.oldest());
        o.put("end_fpga", ring.end());
        o.put("span_seconds", ring.hasData() ? (ring.end() - ring.oldest()) * shape.samplePeriodNs() * 1e-9 : 0.0);
        o.put("seconds_until_overwrite", untilOverwriteSeconds);
        o.put("samples_per_frame", shape.samplesPerFrame());
        o.put("delta_time", shape.samplePeriodNs() * 1e-9);
        final TimeReference t = time;
        o.put("type_time0_ctime", t == null ? null : t.type());
        o.put("frame0_unix_nano", t == null ? null : t.frame0Nanos());
        o.put("events_in_progress", unfinished.get());
        return RestResponse.ok(o);
    }

    /** The ring and dumps for {@code GET /status}. */
    public String statusLine()
    {
        final RingState ring = index.state();
        return String.format("ring %.3f s (%d frames), %.3f s until the oldest needed sample is overwritten, %d " +
            "events in progress, time %s", ring.hasData() ? (ring.end() - ring.oldest()) * shape.samplePeriodNs() *
            1e-9 : 0.0, reader.numFrames(), untilOverwriteSeconds, unfinished.get(), time == null ? "none" :
            time.type());
    }

    private ObjectNode summary(final BasebandEvent event)
    {
        final ObjectNode o = Json.object();
        o.put("event_id", event.eventId());
        o.put("status", event.status().jsonName());
        o.put("directory", event.relativeDirectory().toString());
        o.put("total", event.totalBytes());
        o.put("remaining", event.remainingBytes());
        o.put("received", event.received().toString());
        // Per frequency only what a list shows (status and bytes left); GET /baseband/{id} has the whole record.
        final ObjectNode freqs = o.putObject("freqs");
        for (final FreqDump dump : event.dumps())
        {
            freqs.putObject(Integer.toString(dump.plan().freqId()))
                .put("status", dump.status().jsonName())
                .put("remaining", dump.remaining());
        }
        return o;
    }

    private void checkDisk(final BasebandEvent event)
    {
        final long needed = event.totalBytes() + event.dumps().size() * FILE_OVERHEAD_BYTES;
        final long usable;
        try
        {
            usable = freeSpace.usableBytes(event.directory());
        }
        catch (final IOException e)
        {
            throw new RestException(507, "cannot tell the free space of the archive: " + e.getMessage(), "file_path");
        }
        if (usable < needed + DumpWriter.RESERVE_BYTES)
        {
            throw new RestException(507, "not enough disk: the dump needs " + needed + " bytes, " + usable +
                " are free", "file_path");
        }
    }

    private void evictOld()
    {
        final Iterator<BasebandEvent> it = events.values().iterator();
        while (events.size() > settings.maxEventsKept() && it.hasNext())
        {
            if (it.next().isFinished())
            {
                it.remove();
            }
        }
    }
}
