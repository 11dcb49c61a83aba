package org.kotekanj.baseband;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.baseband.api.TriggerRequest;
import org.kotekanj.baseband.plan.FreqPlan;
import org.kotekanj.baseband.plan.TimeReference;
import org.kotekanj.rest.Json;

/**
 * One triggered dump: the request, the time reference it was planned with, and one {@link FreqDump} per frequency.
 * Its files go to {@code {archive_root}/{file_path}/{source}_{event_id}/}.
 */
public final class BasebandEvent
{
    private final TriggerRequest request;
    private final TimeReference time;
    private final Path directory;
    private final Path relativeDirectory;
    private final Instant received;
    private final long receivedNanos;
    private final List<FreqDump> dumps;
    private final List<FreqDump> copyOrder;
    private volatile long firstByteNanos;
    private volatile boolean cancelled;
    private volatile Instant copied;
    private volatile Instant manifestWritten;
    /** Files of this event whose SHA-256 is still being computed (staged way: they may be done already). */
    private final AtomicInteger hashing = new AtomicInteger();
    private final AtomicBoolean manifestClaimed = new AtomicBoolean();

    BasebandEvent(final TriggerRequest request, final TimeReference time, final Path archiveRoot,
        final List<FreqPlan> plans, final Instant received, final long receivedNanos)
    {
        this.request = request;
        this.time = time;
        this.relativeDirectory = Path.of(request.filePath()).resolve(request.source() + "_" + request.eventId());
        this.directory = archiveRoot.resolve(relativeDirectory);
        this.received = received;
        this.receivedNanos = receivedNanos;
        final List<FreqDump> list = new ArrayList<>(plans.size());
        for (final FreqPlan plan : plans)
        {
            list.add(new FreqDump(this, plan, directory.resolve(plan.fileName())));
        }
        this.dumps = Collections.unmodifiableList(list);
        list.sort(java.util.Comparator.comparingLong(d -> d.plan().planned().start()));
        this.copyOrder = Collections.unmodifiableList(new ArrayList<>(list));
    }

    public long eventId()
    {
        return request.eventId();
    }

    public TriggerRequest request()
    {
        return request;
    }

    /** The time reference at the trigger, or {@code null} if the node had none. */
    public TimeReference time()
    {
        return time;
    }

    public Path directory()
    {
        return directory;
    }

    public Path relativeDirectory()
    {
        return relativeDirectory;
    }

    public Instant received()
    {
        return received;
    }

    public long receivedNanos()
    {
        return receivedNanos;
    }

    public List<FreqDump> dumps()
    {
        return dumps;
    }

    /**
     * The dumps in the order they are copied: oldest window first (with a positive DM the highest frequencies start
     * earliest, and the ring overwrites the oldest samples first).
     */
    List<FreqDump> copyOrder()
    {
        return copyOrder;
    }

    public boolean isCancelled()
    {
        return cancelled;
    }

    void cancel()
    {
        cancelled = true;
    }

    /** nanoTime at which the first byte was copied out of the ring, or 0. */
    public long firstByteNanos()
    {
        return firstByteNanos;
    }

    /**
     * nanoTime at which the REST thread had planned and queued the event, and at which the copier took it up (0
     * until then): where a slow trigger's time to its first byte went.
     */
    private volatile long queuedNanos;
    private volatile long takenNanos;

    void queued(final long nanos)
    {
        queuedNanos = nanos;
    }

    void taken(final long nanos)
    {
        takenNanos = nanos;
    }

    void firstByteCopied(final long nanos)
    {
        if (firstByteNanos == 0)
        {
            firstByteNanos = nanos;
        }
    }

    void copyFinished()
    {
        copied = Instant.now();
    }

    public Instant copied()
    {
        return copied;
    }

    void manifestWritten(final Instant when)
    {
        manifestWritten = when;
    }

    public Instant manifestWrittenAt()
    {
        return manifestWritten;
    }

    /** A file of this event is being hashed: {@code event.json} waits for it. */
    void hashStarted()
    {
        hashing.incrementAndGet();
    }

    /** A file's hash ended (known, or given up); returns how many are still being hashed. */
    int hashEnded()
    {
        return hashing.decrementAndGet();
    }

    boolean hashesPending()
    {
        return hashing.get() > 0;
    }

    /** True once only: for whoever queues the manifest. */
    boolean claimManifest()
    {
        return manifestClaimed.compareAndSet(false, true);
    }

    public boolean isFinished()
    {
        for (final FreqDump dump : dumps)
        {
            if (!dump.status().isFinal())
            {
                return false;
            }
        }
        return true;
    }

    /** The overall status: the worst of the frequencies' (error, partial, inprogress, waiting, done). */
    public DumpStatus status()
    {
        boolean waiting = false;
        boolean running = false;
        boolean partial = false;
        boolean error = false;
        for (final FreqDump dump : dumps)
        {
            switch (dump.status())
            {
                case WAITING -> waiting = true;
                case INPROGRESS -> running = true;
                case PARTIAL -> partial = true;
                case ERROR -> error = true;
                case DONE -> { }
            }
        }
        if (running || waiting && dumps.stream().anyMatch(d -> d.status().isFinal()))
        {
            return DumpStatus.INPROGRESS;
        }
        if (waiting)
        {
            return DumpStatus.WAITING;
        }
        return error ? DumpStatus.ERROR : partial ? DumpStatus.PARTIAL : DumpStatus.DONE;
    }

    public long totalBytes()
    {
        return dumps.stream().mapToLong(d -> d.plan().expectedBytes()).sum();
    }

    public long remainingBytes()
    {
        return dumps.stream().mapToLong(FreqDump::remaining).sum();
    }

    /** The {@code POST /baseband} reply: the plan per frequency. */
    public ObjectNode planJson()
    {
        final ObjectNode o = Json.object();
        o.put("event_id", request.eventId());
        o.put("directory", relativeDirectory.toString());
        final ObjectNode freqs = o.putObject("freqs");
        for (final FreqDump dump : dumps)
        {
            final FreqPlan plan = dump.plan();
            freqs.putObject(Integer.toString(plan.freqId()))
                .put("file_name", relativeDirectory.resolve(plan.fileName()).toString())
                .put("start_fpga", plan.planned().start())
                .put("length_fpga", plan.planned().length())
                .put("expected_bytes", plan.expectedBytes())
                .put("predicted", plan.predicted().jsonName());
        }
        return o;
    }

    /** The {@code GET /baseband/{event_id}} answer. */
    public ObjectNode statusJson()
    {
        final ObjectNode o = Json.object();
        o.put("event_id", request.eventId());
        o.put("status", status().jsonName());
        o.put("directory", relativeDirectory.toString());
        o.put("total", totalBytes());
        o.put("remaining", remainingBytes());
        o.put("received", received.toString());
        o.put("trigger_to_first_byte_ms", firstByteNanos == 0 ? null : (firstByteNanos - receivedNanos) / 1e6);
        o.put("trigger_to_queued_ms", queuedNanos == 0 ? null : (queuedNanos - receivedNanos) / 1e6);
        o.put("trigger_to_copier_ms", takenNanos == 0 ? null : (takenNanos - receivedNanos) / 1e6);
        o.put("copied", copied == null ? null : copied.toString());
        o.put("manifest_written", manifestWritten == null ? null : manifestWritten.toString());
        final ObjectNode freqs = o.putObject("freqs");
        for (final FreqDump dump : dumps)
        {
            freqs.set(Integer.toString(dump.plan().freqId()), dump.toJson());
        }
        return o;
    }
}
