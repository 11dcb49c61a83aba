package org.kotekanj.baseband;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.Json;

/**
 * Where the time of one (event, frequency) dump went, per phase, for {@code event.json}'s timings: the numbers that
 * say whether a slow dump waited on the ring copy, libhdf5, the disk or the hash. Written by the copier, writer and
 * finisher threads (a few times per file, never per sample), read when the manifest is written.
 */
final class DumpPhases
{
    /** The phases of a dump, in the order they happen. */
    enum Phase
    {
        /** Copier: ring to staging, summed over the dump's chunks. */
        COPY("copy"),
        /** libhdf5: the file, its datasets and (on the staged path) every attribute, then H5Fclose. */
        CREATE("create"),
        /** The samples to disk (O_DIRECT), summed over chunks. */
        WRITE("write"),
        /** The root attributes and H5Fclose, where they come after the samples. */
        CLOSE("close"),
        FSYNC("fsync"),
        /** SHA-256 of the file (from staging and the metadata read back, or the whole file read back). */
        HASH("hash"),
        /** Rename into place and the directory's fsync. */
        RENAME("rename");

        final String jsonName;

        Phase(final String jsonName)
        {
            this.jsonName = jsonName;
        }
    }

    private final long[] nanos = new long[Phase.values().length];
    /** When each step ended, ns after the trigger was received: the timeline, where the sums above overlap. */
    private final java.util.Map<String, Long> at = new java.util.LinkedHashMap<>();
    private volatile String path = "reread";

    synchronized void add(final Phase phase, final long elapsedNanos)
    {
        nanos[phase.ordinal()] += elapsedNanos;
    }

    /** Marks the end of step {@code name} now, for the timeline. */
    synchronized void mark(final String name, final long receivedNanos)
    {
        at.put(name, System.nanoTime() - receivedNanos);
    }

    /** Which way the file was written: {@code staged} (metadata first, hashed from memory) or {@code reread}. */
    void path(final String name)
    {
        path = name;
    }

    synchronized ObjectNode toJson()
    {
        final ObjectNode o = Json.object();
        o.put("path", path);
        for (final Phase phase : Phase.values())
        {
            o.put(phase.jsonName + "_ms", Math.round(nanos[phase.ordinal()] / 1e4) / 100.0);
        }
        final ObjectNode timeline = o.putObject("ms_after_trigger");
        at.forEach((name, ns) -> timeline.put(name, Math.round(ns / 1e4) / 100.0));
        return o;
    }
}
