package org.kotekanj.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kotekanj.status.PrometheusWriter.Sample;

/**
 * The operator's terminal view of {@code kotekan-j stat --view}: one screen of what matters on a node (per-link
 * rates and loss, buffers, correlator, baseband ring), computed from two readings of the counters file, in plain
 * ASCII columns that read well over ssh and in a log. Rates are differences over the refresh interval.
 */
final class StatView
{
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
        .withZone(ZoneOffset.UTC);

    private StatView()
    {
    }

    /** Labels of one series ({@code name{a="1",b="2"}}). */
    static Map<String, String> labels(final String series)
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        final int brace = series.indexOf('{');
        if (brace >= 0)
        {
            final Matcher matcher = LABEL.matcher(series.substring(brace));
            while (matcher.find())
            {
                labels.put(matcher.group(1), matcher.group(2));
            }
        }
        return labels;
    }

    private static String name(final Sample sample)
    {
        final int brace = sample.label().indexOf('{');
        return brace < 0 ? sample.label() : sample.label().substring(0, brace);
    }

    /** Sum of one metric's series grouped by the value of {@code label} ({@code ""} groups everything). */
    private static Map<String, Double> by(final List<Sample> samples, final String metric, final String label)
    {
        final Map<String, Double> sums = new TreeMap<>();
        for (final Sample sample : samples)
        {
            if (name(sample).equals(metric))
            {
                sums.merge(label.isEmpty() ? "" : labels(sample.label()).getOrDefault(label, ""), sample.value(),
                    Double::sum);
            }
        }
        return sums;
    }

    private static double rate(final Map<String, Double> now, final Map<String, Double> before, final String key,
        final double seconds)
    {
        if (before == null || seconds <= 0 || !before.containsKey(key))
        {
            return Double.NaN;
        }
        return (now.getOrDefault(key, 0.0) - before.get(key)) / seconds;
    }

    private static String number(final double value, final int decimals)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        return decimals == 0 ? String.format("%,d", Math.round(value)) : String.format("%,." + decimals + "f", value);
    }

    /** The screen for {@code now}, with rates against {@code before} taken {@code seconds} earlier (or none). */
    static String render(final String header, final long timeMs, final List<Sample> now, final List<Sample> before,
        final double seconds)
    {
        final StringBuilder out = new StringBuilder();
        out.append(header).append("   ").append(TIME.format(Instant.ofEpochMilli(timeMs))).append('\n');

        final Map<String, Double> packets = by(now, "kotekan_rx_packets_total", "stream");
        final Map<String, Double> packetsBefore = before == null ? null : by(before, "kotekan_rx_packets_total",
            "stream");
        final Map<String, Double> bytes = by(now, "kotekan_rx_bytes_total", "stream");
        final Map<String, Double> bytesBefore = before == null ? null : by(before, "kotekan_rx_bytes_total", "stream");
        final Map<String, Double> lost = by(now, "kotekan_rx_lost_samples_total", "stream");
        final Map<String, Double> lostBefore = before == null ? null : by(before, "kotekan_rx_lost_samples_total",
            "stream");
        final Map<String, Double> tooOld = by(now, "kotekan_rx_too_old_total", "stream");
        final Map<String, Double> dups = by(now, "kotekan_rx_duplicates_total", "stream");
        final Map<String, Double> resets = by(now, "kotekan_rx_resets_total", "stream");
        final Map<String, Double> backpressure = by(now, "kotekan_rx_dropped_backpressure_samples_total", "stream");
        out.append(String.format("%nRECEIVE %-13s %12s %8s %10s %12s %9s %9s %7s %10s%n", "stream", "packets/s",
            "Gb/s", "lost/s", "lost", "too old", "dups", "resets", "backpress."));
        for (final String stream : packets.keySet())
        {
            out.append(String.format("        %-13s %12s %8s %10s %12s %9s %9s %7s %10s%n", stream,
                number(rate(packets, packetsBefore, stream, seconds), 0),
                number(rate(bytes, bytesBefore, stream, seconds) * 8e-9, 3),
                number(rate(lost, lostBefore, stream, seconds), 1), number(lost.get(stream), 0),
                number(tooOld.getOrDefault(stream, 0.0), 0), number(dups.getOrDefault(stream, 0.0), 0),
                number(resets.getOrDefault(stream, 0.0), 0), number(backpressure.getOrDefault(stream, 0.0), 0)));
        }
        final Map<String, Double> drops = by(now, "kotekan_rx_socket_drops_total", "port");
        final Map<String, Double> dropsBefore = before == null ? null : by(before, "kotekan_rx_socket_drops_total",
            "port");
        final Map<String, Double> idle = by(now, "kotekan_rx_idle_ratio", "stage_name");
        for (final Map.Entry<String, Double> stage : idle.entrySet())
        {
            out.append(String.format("        %s: receive core idle %.1f %%%n", stage.getKey(), 100 * stage.getValue()));
        }
        if (!drops.isEmpty())
        {
            out.append("        kernel socket drops:");
            drops.forEach((port, total) -> out.append(String.format(" :%s %s (%s/s)", port, number(total, 0),
                number(rate(drops, dropsBefore, port, seconds), 1))));
            out.append('\n');
        }

        final Map<String, Double> full = by(now, "kotekan_buffer_frames_full", "buffer");
        final Map<String, Double> fill = by(now, "kotekan_buffer_fill_ratio", "buffer");
        out.append(String.format("%nBUFFERS %-28s %12s %8s%n", "buffer", "frames full", "fill"));
        for (final String buffer : full.keySet())
        {
            out.append(String.format("        %-28s %12s %7s%%%n", buffer, number(full.get(buffer), 0),
                fill.containsKey(buffer) ? number(100 * fill.get(buffer), 1) : "-"));
        }

        final Map<String, Double> integrations = by(now, "kotekan_corr_integrations_total", "stage_name");
        if (!integrations.isEmpty())
        {
            final Map<String, Double> integrationsBefore = before == null ? null :
                by(before, "kotekan_corr_integrations_total", "stage_name");
            final Map<String, Double> corrLost = by(now, "kotekan_corr_lost_samples_total", "stage_name");
            final Map<String, Double> kernelSum = by(now, "kotekan_corr_kernel_seconds_sum", "stage_name");
            final Map<String, Double> kernelCount = by(now, "kotekan_corr_kernel_seconds_count", "stage_name");
            out.append(String.format("%nCORRELATOR %-25s %12s %10s %12s %14s%n", "stage", "integrations", "per min",
                "lost", "kernel/frame"));
            for (final String stage : integrations.keySet())
            {
                final double count = kernelCount.getOrDefault(stage, 0.0);
                out.append(String.format("           %-25s %12s %10s %12s %14s%n", stage,
                    number(integrations.get(stage), 0), number(60 * rate(integrations, integrationsBefore, stage,
                        seconds), 1), number(corrLost.getOrDefault(stage, 0.0), 0),
                    count > 0 ? number(1e3 * kernelSum.getOrDefault(stage, 0.0) / count, 3) + " ms" : "-"));
            }
        }

        final Map<String, Double> span = by(now, "kotekan_baseband_ring_span_seconds", "stage_name");
        if (!span.isEmpty())
        {
            final Map<String, Double> until = by(now, "kotekan_baseband_seconds_until_overwrite", "stage_name");
            final Map<String, Double> status = by(now, "kotekan_baseband_readout_total", "status");
            final Map<String, Double> requests = by(now, "kotekan_baseband_requests_total", "");
            final Map<String, Double> inProgress = by(now, "kotekan_baseband_readout_in_progress", "");
            out.append(String.format("%nBASEBAND %-27s %10s %16s %9s %12s  %s%n", "stage", "ring span",
                "until overwrite", "requests", "in progress", "readouts"));
            for (final String stage : span.keySet())
            {
                final StringBuilder readouts = new StringBuilder();
                status.forEach((s, n) -> readouts.append(s).append(' ').append(number(n, 0)).append("  "));
                out.append(String.format("         %-27s %9ss %15ss %9s %12s  %s%n", stage,
                    number(span.get(stage), 2), number(until.getOrDefault(stage, Double.NaN), 2),
                    number(requests.getOrDefault("", 0.0), 0), number(inProgress.getOrDefault("", 0.0), 0),
                    readouts.toString().strip()));
            }
        }
        return out.toString();
    }
}
