package org.kotekanj.status;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency histogram recorded wait-free by one thread (HdrHistogram's {@link SingleWriterRecorder}) and read by the
 * metrics thread, which accumulates the recorder's intervals into a cumulative histogram for Prometheus.
 */
public final class LatencyHistogram
{
    /** Bucket bounds shown to Prometheus, in nanoseconds. */
    static final long[] BOUNDS_NS = {
        1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000L};

    private final String name;
    private final String labels;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(3_600_000_000_000L, 2);
    private final Histogram cumulative = new Histogram(3_600_000_000_000L, 2);
    private Histogram interval;

    LatencyHistogram(final String name, final String labels)
    {
        this.name = name;
        this.labels = labels;
    }

    public String name()
    {
        return name;
    }

    /** Records one duration in nanoseconds; values beyond an hour are clamped. */
    public void recordNanos(final long nanos)
    {
        recorder.recordValue(Math.min(Math.max(nanos, 0), 3_600_000_000_000L));
    }

    /** Folds what was recorded since the last call into the cumulative histogram; returns a copy of it. */
    public synchronized Histogram snapshot()
    {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        return cumulative.copy();
    }

    void writePrometheus(final StringBuilder out)
    {
        final Histogram h = snapshot();
        final String inner = labels.isEmpty() ? "" : labels + ",";
        for (final long bound : BOUNDS_NS)
        {
            out.append(name).append("_bucket{").append(inner).append("le=\"").append(bound / 1e9).append("\"} ")
                .append(h.getCountBetweenValues(0, bound)).append('\n');
        }
        out.append(name).append("_bucket{").append(inner).append("le=\"+Inf\"} ").append(h.getTotalCount())
            .append('\n');
        final double sumSeconds = h.getMean() * h.getTotalCount() / 1e9;
        out.append(name).append("_sum{").append(labels).append("} ").append(sumSeconds).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(h.getTotalCount()).append('\n');
    }
}
