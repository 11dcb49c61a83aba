package org.kotekanj.status;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A latency histogram recorded wait-free by one thread (HdrHistogram's {@link SingleWriterRecorder}) and published
 * by the metrics thread: it folds the recorder's intervals into a cumulative histogram and stores its buckets, sum
 * and count in the counters file, so that {@code GET /metrics} and {@code kotekan-j stat} (reading from outside)
 * show the same series.
 */
public final class LatencyHistogram
{
    /** Bucket bounds shown to Prometheus, in nanoseconds. */
    static final long[] BOUNDS_NS = {
        1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000L};
    private static final long MAX_NS = 3_600_000_000_000L;

    private final String name;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(MAX_NS, 2);
    private final Histogram cumulative = new Histogram(MAX_NS, 2);
    private final AtomicCounter[] buckets;
    private final AtomicCounter sumNanos;
    private final AtomicCounter count;
    private Histogram interval;

    LatencyHistogram(final String name, final AtomicCounter[] buckets, final AtomicCounter sumNanos,
        final AtomicCounter count)
    {
        this.name = name;
        this.buckets = buckets;
        this.sumNanos = sumNanos;
        this.count = count;
    }

    /** The {@code le} label of bucket {@code i} ({@code +Inf} for the last). */
    static String bucketLabel(final int i)
    {
        return i < BOUNDS_NS.length ? Double.toString(BOUNDS_NS[i] / 1e9) : "+Inf";
    }

    public String name()
    {
        return name;
    }

    /** Records one duration in nanoseconds; values beyond an hour are clamped. */
    public void recordNanos(final long nanos)
    {
        recorder.recordValue(Math.min(Math.max(nanos, 0), MAX_NS));
    }

    /** Folds and stores the buckets (each its own count; readers make them cumulative), sum and count. */
    synchronized void publish()
    {
        fold();
        long below = 0;
        for (int i = 0; i < BOUNDS_NS.length; i++)
        {
            final long upTo = cumulative.getCountBetweenValues(0, BOUNDS_NS[i]);
            buckets[i].setRelease(upTo - below);
            below = upTo;
        }
        final long total = cumulative.getTotalCount();
        buckets[BOUNDS_NS.length].setRelease(total - below);
        sumNanos.setRelease(Math.round(cumulative.getMean() * total));
        count.setRelease(total);
    }

    private void fold()
    {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
    }
}
