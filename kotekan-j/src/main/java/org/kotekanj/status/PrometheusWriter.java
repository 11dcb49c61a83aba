package org.kotekanj.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.status.CountersReader;

/**
 * Renders the counters of a {@link CountersReader} (this process's, or another's through its counters file) in the
 * Prometheus text exposition format: one {@code # TYPE} per family, bucket counters made cumulative. {@link #samples}
 * gives the same values as a list, for {@code kotekan-j stat}'s plain listing.
 */
public final class PrometheusWriter
{
    private PrometheusWriter()
    {
    }

    /** One series as Prometheus shows it: its label text ({@code name{labels}}), family, type and scaled value. */
    public record Sample(String label, String family, int type, double value)
    {
        /** The value as the exposition prints it: integers without a fraction. */
        public String text()
        {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) :
                Double.toString(value);
        }
    }

    /** Every exported series, grouped by family in first-seen order, buckets cumulative. */
    public static List<Sample> samples(final CountersReader reader)
    {
        final Map<String, List<Sample>> families = new LinkedHashMap<>();
        final Map<String, Long> cumulative = new HashMap<>();
        reader.forEach((value, id, label) ->
        {
            final int type = reader.getCounterTypeId(id);
            if (!MetricType.isExported(type))
            {
                return;
            }
            final long shown = type == MetricType.HISTOGRAM_BUCKET ?
                cumulative.merge(withoutLe(label), value, Long::sum) : value;
            final String family = family(label, type);
            families.computeIfAbsent(family, k -> new ArrayList<>())
                .add(new Sample(label, family, type, MetricType.scaled(type, shown)));
        });
        final List<Sample> all = new ArrayList<>();
        families.values().forEach(all::addAll);
        return all;
    }

    public static void write(final CountersReader reader, final StringBuilder out)
    {
        String family = null;
        for (final Sample sample : samples(reader))
        {
            if (!sample.family().equals(family))
            {
                family = sample.family();
                out.append("# HELP ").append(family).append(' ').append(MetricNames.help(family)).append('\n');
                out.append("# TYPE ").append(family).append(' ').append(MetricType.prometheusType(sample.type()))
                    .append('\n');
            }
            out.append(sample.label()).append(' ').append(sample.text()).append('\n');
        }
    }

    /** The metric name of a series label, without the histogram suffixes. */
    static String family(final String label, final int type)
    {
        final int brace = label.indexOf('{');
        final String name = brace < 0 ? label : label.substring(0, brace);
        return switch (type)
        {
            case MetricType.HISTOGRAM_BUCKET -> strip(name, "_bucket");
            case MetricType.HISTOGRAM_SUM, MetricType.HISTOGRAM_SUM_NANOS -> strip(name, "_sum");
            case MetricType.HISTOGRAM_COUNT -> strip(name, "_count");
            default -> name;
        };
    }

    private static String strip(final String name, final String suffix)
    {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    private static String withoutLe(final String label)
    {
        final int le = label.lastIndexOf(",le=\"");
        return le < 0 ? label : label.substring(0, le);
    }
}
