package org.kotekanj.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.status.CountersReader;

/**
 * Renders the counters of a {@link CountersReader} (this process's, or another's through its counters file) in the
 * Prometheus text exposition format: one {@code # TYPE} per family, bucket counters made cumulative.
 */
public final class PrometheusWriter
{
    private PrometheusWriter()
    {
    }

    private record Series(String label, int type, long value)
    {
    }

    public static void write(final CountersReader reader, final StringBuilder out)
    {
        final Map<String, List<Series>> families = new LinkedHashMap<>();
        reader.forEach((value, id, label) ->
        {
            final int type = reader.getCounterTypeId(id);
            if (type < MetricType.COUNTER || type > MetricType.HISTOGRAM_COUNT)
            {
                return;
            }
            families.computeIfAbsent(family(label, type), k -> new ArrayList<>()).add(new Series(label, type, value));
        });
        for (final Map.Entry<String, List<Series>> family : families.entrySet())
        {
            final int type = family.getValue().get(0).type();
            out.append("# HELP ").append(family.getKey()).append(' ').append(MetricNames.help(family.getKey()))
                .append('\n');
            out.append("# TYPE ").append(family.getKey()).append(' ').append(MetricType.prometheusType(type))
                .append('\n');
            final Map<String, Long> cumulative = new HashMap<>();
            for (final Series series : family.getValue())
            {
                long value = series.value();
                if (series.type() == MetricType.HISTOGRAM_BUCKET)
                {
                    value = cumulative.merge(withoutLe(series.label()), value, Long::sum);
                }
                out.append(series.label()).append(' ');
                final double scaled = MetricType.scaled(series.type(), value);
                if (scaled == Math.rint(scaled) && Math.abs(scaled) < 1e15)
                {
                    out.append((long)scaled);
                }
                else
                {
                    out.append(scaled);
                }
                out.append('\n');
            }
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
            case MetricType.HISTOGRAM_SUM -> strip(name, "_sum");
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
