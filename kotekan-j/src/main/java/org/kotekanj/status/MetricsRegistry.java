package org.kotekanj.status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * Where stages get their counters, gauges and histograms. Every series is an Agrona counter whose label is its
 * Prometheus series ({@code name{stage_name="/recv",...}}), so {@code GET /metrics} and {@code kotekan-j stat} read
 * the same values; HdrHistogram latency histograms are recorded on the heap and published to counters on each
 * sample.
 *
 * <p>Allocation is synchronized and happens at start-up; updating a counter is a single-writer ordered store.
 * Gauges that summarise (idle ratios, buffer fill) are refreshed by {@link #sample()}, which the runtime calls about
 * once a second and before each scrape.
 */
public final class MetricsRegistry implements AutoCloseable
{
    private final CountersManager counters;
    private final CountersFile file;
    private final List<LatencyHistogram> histograms = new CopyOnWriteArrayList<>();
    private final List<Runnable> samplers = new CopyOnWriteArrayList<>();

    private MetricsRegistry(final CountersManager counters, final CountersFile file)
    {
        this.counters = counters;
        this.file = file;
    }

    /** A registry backed by a counters file that other processes can read. */
    public static MetricsRegistry mapped(final CountersFile file)
    {
        return new MetricsRegistry(new CountersManager(file.metadataBuffer(), file.valuesBuffer()), file);
    }

    /** A registry on the heap (for {@code check}, tests and tools that need no outside readers). */
    public static MetricsRegistry inMemory()
    {
        final int values = 4096 * CountersReader.COUNTER_LENGTH;
        return new MetricsRegistry(new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                values * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH), 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(values, 64))), null);
    }

    public CountersReader reader()
    {
        return counters;
    }

    public CountersFile file()
    {
        return file;
    }

    public AtomicCounter counter(final String name, final String stageName, final String... labels)
    {
        return allocate(MetricType.COUNTER, name, stageName, labels);
    }

    public AtomicCounter gauge(final String name, final String stageName, final String... labels)
    {
        return allocate(MetricType.GAUGE, name, stageName, labels);
    }

    /** A gauge holding nanoseconds, shown as seconds. */
    public AtomicCounter gaugeNanos(final String name, final String stageName, final String... labels)
    {
        return allocate(MetricType.GAUGE_NANOS, name, stageName, labels);
    }

    /** A gauge holding millionths, shown as a fraction. */
    public AtomicCounter gaugeRatio(final String name, final String stageName, final String... labels)
    {
        return allocate(MetricType.GAUGE_MILLIONTHS, name, stageName, labels);
    }

    /** An HdrHistogram of durations, published to the counters file on every {@link #sample()}. */
    public LatencyHistogram latencyHistogram(final String name, final String stageName, final String... labels)
    {
        final AtomicCounter[] buckets = new AtomicCounter[LatencyHistogram.BOUNDS_NS.length + 1];
        for (int i = 0; i < buckets.length; i++)
        {
            buckets[i] = allocate(MetricType.HISTOGRAM_BUCKET, name + "_bucket", stageName,
                withLe(labels, LatencyHistogram.bucketLabel(i)));
        }
        final LatencyHistogram histogram = new LatencyHistogram(name, buckets,
            allocate(MetricType.HISTOGRAM_SUM_NANOS, name + "_sum", stageName, labels),
            allocate(MetricType.HISTOGRAM_COUNT, name + "_count", stageName, labels));
        histograms.add(histogram);
        return histogram;
    }

    private static String[] withLe(final String[] labels, final String le)
    {
        final String[] withLe = new String[labels.length + 2];
        System.arraycopy(labels, 0, withLe, 0, labels.length);
        withLe[labels.length] = "le";
        withLe[labels.length + 1] = le;
        return withLe;
    }

    /** A histogram of small integers with the given inclusive upper bounds (plus an overflow bucket). */
    public BucketHistogram bucketHistogram(final String name, final String stageName, final long[] bounds,
        final String... labels)
    {
        final AtomicCounter[] buckets = new AtomicCounter[bounds.length + 1];
        for (int i = 0; i <= bounds.length; i++)
        {
            buckets[i] = allocate(MetricType.HISTOGRAM_BUCKET, name + "_bucket", stageName,
                withLe(labels, i < bounds.length ? Long.toString(bounds[i]) : "+Inf"));
        }
        return new BucketHistogram(bounds.clone(), buckets,
            allocate(MetricType.HISTOGRAM_SUM, name + "_sum", stageName, labels),
            allocate(MetricType.HISTOGRAM_COUNT, name + "_count", stageName, labels));
    }

    /** Registers work to run on every {@link #sample()}: refreshing derived gauges. */
    public void onSample(final Runnable sampler)
    {
        samplers.add(sampler);
    }

    /** Refreshes derived gauges and the heartbeat. */
    public synchronized void sample()
    {
        for (final Runnable sampler : samplers)
        {
            sampler.run();
        }
        for (final LatencyHistogram histogram : histograms)
        {
            histogram.publish();
        }
        if (file != null)
        {
            file.heartbeat();
        }
    }

    /** The Prometheus text exposition of every series: what {@code kotekan-j stat --prometheus} prints. */
    public String prometheus()
    {
        sample();
        final StringBuilder out = new StringBuilder(16 * 1024);
        PrometheusWriter.write(counters, out);
        return out.toString();
    }

    /** Frees every counter (a daemon does this before it starts the next pipeline). */
    public synchronized void freeAll()
    {
        final List<Integer> ids = new ArrayList<>();
        counters.forEach((id, label) -> ids.add(id));
        for (final int id : ids)
        {
            counters.free(id);
        }
        histograms.clear();
        samplers.clear();
    }

    private synchronized AtomicCounter allocate(final int type, final String name, final String stageName,
        final String... labels)
    {
        final String label = name + "{" + labelText(stageName, labels) + "}";
        if (label.length() > CountersReader.MAX_LABEL_LENGTH)
        {
            throw new IllegalArgumentException("metric series longer than " + CountersReader.MAX_LABEL_LENGTH +
                " characters: " + label);
        }
        return counters.newCounter(label, type);
    }

    static String labelText(final String stageName, final String... labels)
    {
        if (labels.length % 2 != 0)
        {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        final StringBuilder text = new StringBuilder();
        if (stageName != null)
        {
            text.append("stage_name=\"").append(escape(stageName)).append('"');
        }
        for (int i = 0; i < labels.length; i += 2)
        {
            text.append(text.isEmpty() ? "" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1]))
                .append('"');
        }
        return text.toString();
    }

    private static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close()
    {
        if (file != null)
        {
            file.close();
        }
    }
}
