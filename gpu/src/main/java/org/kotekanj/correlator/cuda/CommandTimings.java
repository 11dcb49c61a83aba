package org.kotekanj.correlator.cuda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.kotekanj.status.LatencyHistogram;
import org.kotekanj.status.MetricsRegistry;

/**
 * Device-side durations of each {@link CudaCommand}, measured with CUDA events and fed in by the backend's owner
 * thread as the events complete: counts, totals, last and maximum for {@code /status}, and, once bound to a
 * {@link MetricsRegistry}, the histograms {@code kotekan_corr_kernel_seconds} and {@code kotekan_corr_copy_seconds}
 * labelled by command. Recording allocates nothing; readers on other threads see plain atomic longs.
 */
public final class CommandTimings
{
    private static final int COUNT = 0;
    private static final int TOTAL_NS = 1;
    private static final int LAST_NS = 2;
    private static final int MAX_NS = 3;
    private static final int FIELDS = 4;

    private final CudaCommandList commands;
    private final AtomicLongArray values = new AtomicLongArray(CudaCommand.values().length * FIELDS);
    private final LatencyHistogram[] histograms = new LatencyHistogram[CudaCommand.values().length];

    public CommandTimings(final CudaCommandList commands)
    {
        this.commands = commands;
    }

    /** Publishes every command's durations as Prometheus histograms of {@code stage}. */
    public void bind(final MetricsRegistry metrics, final String stage)
    {
        for (final CudaCommand command : commands.commands())
        {
            histograms[command.ordinal()] = metrics.latencyHistogram(
                command.isCopy() ? "kotekan_corr_copy_seconds" : "kotekan_corr_kernel_seconds", stage,
                "command", command.configName());
        }
    }

    /** One completed command's duration. */
    public void record(final CudaCommand command, final long nanos)
    {
        final int base = command.ordinal() * FIELDS;
        values.lazySet(base + COUNT, values.get(base + COUNT) + 1);
        values.lazySet(base + TOTAL_NS, values.get(base + TOTAL_NS) + nanos);
        values.lazySet(base + LAST_NS, nanos);
        if (nanos > values.get(base + MAX_NS))
        {
            values.lazySet(base + MAX_NS, nanos);
        }
        final LatencyHistogram histogram = histograms[command.ordinal()];
        if (histogram != null)
        {
            histogram.recordNanos(nanos);
        }
    }

    public long count(final CudaCommand command)
    {
        return values.get(command.ordinal() * FIELDS + COUNT);
    }

    public long totalNanos(final CudaCommand command)
    {
        return values.get(command.ordinal() * FIELDS + TOTAL_NS);
    }

    /** Per command, in list order: count, mean, last and max seconds (for {@code /status}). */
    public Map<String, Map<String, Object>> status()
    {
        final Map<String, Map<String, Object>> status = new LinkedHashMap<>();
        for (final CudaCommand command : commands.commands())
        {
            final int base = command.ordinal() * FIELDS;
            final long count = values.get(base + COUNT);
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("count", count);
            one.put("mean_seconds", count == 0 ? 0.0 : values.get(base + TOTAL_NS) / 1e9 / count);
            one.put("last_seconds", values.get(base + LAST_NS) / 1e9);
            one.put("max_seconds", values.get(base + MAX_NS) / 1e9);
            status.put(command.configName(), one);
        }
        return status;
    }

    /** One line for the stage's status: the mean milliseconds of each command. */
    public String statusLine()
    {
        final StringBuilder line = new StringBuilder();
        for (final CudaCommand command : commands.commands())
        {
            final long count = count(command);
            if (line.length() > 0)
            {
                line.append(", ");
            }
            line.append(command.configName()).append(' ')
                .append(count == 0 ? "-" : String.format("%.3f ms", totalNanos(command) / 1e6 / count));
        }
        return line.toString();
    }
}
