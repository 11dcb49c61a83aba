package org.kotekanj.baseband;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.baseband.plan.FreqPlan;
import org.kotekanj.baseband.plan.SampleRange;
import org.kotekanj.rest.Json;

/**
 * The progress of one (event, frequency) dump. The copier (the baseband stage's thread) advances {@link #copyNext}
 * and fills staging; the writer thread writes and finishes the file; REST threads read the volatile fields for the
 * status. Each field has one writing thread.
 */
public final class FreqDump
{
    private final BasebandEvent event;
    private final FreqPlan plan;
    private final Path file;
    /** Next sample the copier will copy (copier thread). */
    long copyNext;
    /** True once the copier handed the last chunk to the writer (copier thread). */
    boolean copyDone;
    private volatile DumpStatus status;
    private volatile String reason;
    private volatile long remaining;
    private volatile long capturedStart = Long.MAX_VALUE;
    private volatile long capturedEnd = Long.MIN_VALUE;
    private volatile long lostSamples;
    private volatile long missingSamples;
    private volatile boolean resetSeen;
    private volatile String realigned;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile String sha256;
    private volatile long fileBytes;
    /** Where this dump's time went, for the manifest. */
    final DumpPhases phases = new DumpPhases();

    FreqDump(final BasebandEvent event, final FreqPlan plan, final Path file)
    {
        this.event = event;
        this.plan = plan;
        this.file = file;
        this.copyNext = plan.planned().start();
        this.remaining = plan.expectedBytes();
        this.status = DumpStatus.WAITING;
    }

    public BasebandEvent event()
    {
        return event;
    }

    public FreqPlan plan()
    {
        return plan;
    }

    /** The final file name. */
    public Path file()
    {
        return file;
    }

    /** {@code .{name}.partial} beside the final file. */
    public Path partialFile()
    {
        return file.resolveSibling("." + file.getFileName() + ".partial");
    }

    public DumpStatus status()
    {
        return status;
    }

    public String reason()
    {
        return reason;
    }

    public long remaining()
    {
        return remaining;
    }

    public long lostSamples()
    {
        return lostSamples;
    }

    public long missingSamples()
    {
        return missingSamples;
    }

    /** An F-engine reset touched the window: a frame flagged reset, or a stream re-aligned and left out. */
    public boolean resetSeen()
    {
        return resetSeen;
    }

    /** The reason of a dump that {@link #resetSeen()}: which streams were re-aligned and left out, if any. */
    public String resetReason()
    {
        final String streams = realigned;
        return streams == null ? "fengine_reset inside the window" : "fengine_reset inside the window: " + streams;
    }

    boolean realignedSeen()
    {
        return realigned != null;
    }

    public String sha256()
    {
        return sha256;
    }

    public long fileBytes()
    {
        return fileBytes;
    }

    public Instant started()
    {
        return started;
    }

    public Instant finished()
    {
        return finished;
    }

    /** Samples {@code [first captured, last captured + 1)}, or an empty range if none. */
    public SampleRange captured()
    {
        final long s = capturedStart;
        final long e = capturedEnd;
        return e > s ? new SampleRange(s, e) : SampleRange.EMPTY;
    }

    /** Copier: the first rows are being copied; true if this call started the dump. */
    synchronized boolean start()
    {
        if (status == DumpStatus.WAITING)
        {
            started = Instant.now();
            status = DumpStatus.INPROGRESS;
            return true;
        }
        return false;
    }

    /** Copier: rows {@code [from, to)} were copied; {@code lost} of them had lost input blocks. */
    void captured(final long from, final long to, final long lost)
    {
        if (to > from)
        {
            if (from < capturedStart)
            {
                capturedStart = from;
            }
            if (to > capturedEnd)
            {
                capturedEnd = to;
            }
        }
        lostSamples += lost;
    }

    /** Copier: rows not captured (overwritten before or while copying, or never received). */
    void missing(final long samples)
    {
        missingSamples += samples;
    }

    void resetInWindow()
    {
        resetSeen = true;
    }

    /**
     * Copier: from {@code sample} on, the window holds samples of re-aligned streams ({@code streams}: their ids and
     * offsets), which were left out; the first such frame names them.
     */
    void realignedInWindow(final String streams, final long sample)
    {
        if (realigned == null)
        {
            realigned = "stream " + streams + " samples re-aligned after an F-engine reset or jump, left out " +
                "(0x00, sample_present 0) from sample " + sample;
        }
        resetSeen = true;
    }

    /** Writer: bytes written. */
    void wrote(final long bytes)
    {
        remaining = Math.max(0, remaining - bytes);
    }

    /** Ends this frequency; the first final status wins. */
    synchronized boolean finish(final DumpStatus last, final String why)
    {
        if (status.isFinal())
        {
            return false;
        }
        if (started == null)
        {
            started = Instant.now();
        }
        reason = why;
        finished = Instant.now();
        status = last;
        return true;
    }

    void fileWritten(final String digest, final long bytes)
    {
        sha256 = digest;
        fileBytes = bytes;
    }

    /** The SHA-256 of a file put in place before its hash was known (a streamed file). */
    void hashed(final String digest)
    {
        sha256 = digest;
    }

    /** The status entry of this frequency. */
    public ObjectNode toJson()
    {
        final ObjectNode o = Json.object();
        o.put("status", status.jsonName());
        o.put("reason", reason);
        o.put("file_name", event.relativeDirectory().resolve(file.getFileName()).toString());
        o.put("total", plan.expectedBytes());
        o.put("remaining", remaining);
        o.putArray("requested").add(plan.requested().start()).add(plan.requested().end());
        final SampleRange c = captured();
        o.putArray("captured").add(c.start()).add(c.end());
        o.put("lost_samples", lostSamples);
        o.put("missing_samples", missingSamples);
        o.put("predicted", plan.predicted().jsonName());
        o.put("received", event.received().toString());
        o.put("started", started == null ? null : started.toString());
        o.put("finished", finished == null ? null : finished.toString());
        return o;
    }
}
