package org.kotekanj.baseband;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.status.LatencyHistogram;
import org.kotekanj.status.MetricsRegistry;

/**
 * The {@code kotekan_baseband_*} series of {@code shared/specs/metrics.md}. Per-frequency series are created on first
 * use (a node may have 1024 frequencies; most never see a dump).
 */
final class BasebandMetrics
{
    static final String REQUESTS = "kotekan_baseband_requests_total";
    static final String READOUT = "kotekan_baseband_readout_total";
    static final String IN_PROGRESS = "kotekan_baseband_readout_in_progress";
    static final String BYTES_WRITTEN = "kotekan_baseband_bytes_written_total";
    static final String TRIGGER_LATENCY = "kotekan_baseband_trigger_latency_seconds";
    static final String RING_SPAN = "kotekan_baseband_ring_span_seconds";
    static final String UNTIL_OVERWRITE = "kotekan_baseband_seconds_until_overwrite";
    static final String REJECTED = "kotekan_baseband_rejected_total";
    static final String DISK_ERRORS = "kotekan_baseband_disk_errors_total";

    private final MetricsRegistry registry;
    private final String stage;
    private final AtomicCounter requests;
    private final AtomicCounter bytesWritten;
    private final AtomicCounter ringSpanNanos;
    private final AtomicCounter untilOverwriteNanos;
    private final AtomicCounter diskErrors;
    private final LatencyHistogram latency;
    private final Map<String, AtomicCounter> lazy = new ConcurrentHashMap<>();

    BasebandMetrics(final MetricsRegistry registry, final String stage)
    {
        this.registry = registry;
        this.stage = stage;
        requests = registry.counter(REQUESTS, stage);
        bytesWritten = registry.counter(BYTES_WRITTEN, stage);
        ringSpanNanos = registry.gaugeNanos(RING_SPAN, stage);
        untilOverwriteNanos = registry.gaugeNanos(UNTIL_OVERWRITE, stage);
        diskErrors = registry.counter(DISK_ERRORS, stage);
        latency = registry.latencyHistogram(TRIGGER_LATENCY, stage);
    }

    void request()
    {
        requests.increment();
    }

    void rejected(final int status)
    {
        lazy.computeIfAbsent("r" + status, k -> registry.counter(REJECTED, stage, "status", Integer.toString(status)))
            .increment();
    }

    /** Stage thread only (the histogram has a single writer). */
    void triggerLatency(final long nanos)
    {
        latency.recordNanos(nanos);
    }

    void bytesWritten(final long bytes)
    {
        bytesWritten.getAndAdd(bytes);
    }

    void diskError()
    {
        diskErrors.increment();
    }

    void readout(final int freqId, final DumpStatus status)
    {
        lazy.computeIfAbsent(freqId + "/" + status, k -> registry.counter(READOUT, stage, "freq_id",
            Integer.toString(freqId), "status", status.jsonName())).increment();
    }

    void inProgress(final int freqId, final int delta)
    {
        lazy.computeIfAbsent("p" + freqId, k -> registry.gauge(IN_PROGRESS, stage, "freq_id",
            Integer.toString(freqId))).getAndAdd(delta);
    }

    void ring(final double spanSeconds, final double untilOverwriteSeconds)
    {
        ringSpanNanos.setRelease((long)(spanSeconds * 1e9));
        untilOverwriteNanos.setRelease((long)(untilOverwriteSeconds * 1e9));
    }
}
