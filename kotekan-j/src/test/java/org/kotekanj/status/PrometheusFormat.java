package org.kotekanj.status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), plus the project's contract from
 * {@code shared/specs/metrics.md}: names prefixed {@code kotekan_}, counters ending in {@code _total}, every series
 * labelled with {@code stage_name}. Histograms must have cumulative buckets ending in {@code +Inf} equal to
 * {@code _count}. Returns every sample by its series text, e.g. {@code name{stage_name="/a"}}.
 */
public final class PrometheusFormat
{
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ([^ ]+)(?: -?[0-9]+)?");
    private static final Pattern LABEL =
        Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern FLOAT = Pattern.compile(
        "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusFormat()
    {
    }

    public static Map<String, Double> validate(final String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
        {
            throw new AssertionError("the exposition must end with a newline");
        }
        final Map<String, Double> samples = new LinkedHashMap<>();
        final Map<String, String> types = new HashMap<>();
        final Set<String> helps = new HashSet<>();
        final Set<String> finishedFamilies = new HashSet<>();
        final Map<String, TreeMap<Double, Double>> buckets = new HashMap<>();
        String currentFamily = null;
        int lineNumber = 0;
        for (final String line : text.split("\n", -1))
        {
            lineNumber++;
            if (line.isEmpty())
            {
                continue;
            }
            final String where = "line " + lineNumber + " \"" + line + "\": ";
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ", 4);
                require(parts.length == 4 && NAME.matcher(parts[2]).matches(), where + "malformed comment");
                final String family = parts[2];
                currentFamily = enter(family, currentFamily, finishedFamilies, where);
                if (parts[1].equals("TYPE"))
                {
                    require(TYPES.contains(parts[3]), where + "unknown type");
                    require(types.put(family, parts[3]) == null, where + "second TYPE for " + family);
                    require(!samplesOf(samples, family), where + "TYPE after samples of " + family);
                }
                else
                {
                    require(helps.add(family), where + "second HELP for " + family);
                }
                continue;
            }
            require(!line.startsWith("#"), where + "unknown comment");
            final Matcher sample = SAMPLE.matcher(line);
            require(sample.matches(), where + "not a sample");
            final String name = sample.group(1);
            final String family = familyOf(name, types);
            require(types.containsKey(family), where + "no TYPE before the first sample of " + family);
            currentFamily = enter(family, currentFamily, finishedFamilies, where);
            require(family.startsWith("kotekan_"), where + "not prefixed kotekan_");
            final String type = types.get(family);
            if (type.equals("counter"))
            {
                require(name.endsWith("_total"), where + "a counter's name must end in _total");
            }
            final Map<String, String> labels = labels(sample.group(2), where);
            require(labels.containsKey("stage_name"), where + "no stage_name label");
            require(FLOAT.matcher(sample.group(3)).matches(), where + "value is not a float");
            final double value = Double.parseDouble(sample.group(3).replace("Inf", "Infinity"));
            require(samples.put(series(name, labels), value) == null, where + "duplicate series");
            if (type.equals("histogram"))
            {
                final Map<String, String> withoutLe = new TreeMap<>(labels);
                final String le = withoutLe.remove("le");
                final String key = family + withoutLe;
                if (name.equals(family + "_bucket"))
                {
                    require(le != null && FLOAT.matcher(le).matches(), where + "bucket without a numeric le");
                    final TreeMap<Double, Double> series = buckets.computeIfAbsent(key, k -> new TreeMap<>());
                    final double bound = Double.parseDouble(le.replace("Inf", "Infinity"));
                    require(series.isEmpty() || series.lastKey() < bound, where + "buckets out of order");
                    require(series.isEmpty() || series.lastEntry().getValue() <= value, where + "not cumulative");
                    series.put(bound, value);
                }
                else if (name.equals(family + "_count"))
                {
                    final TreeMap<Double, Double> series = buckets.get(key);
                    require(series != null && series.lastKey() == Double.POSITIVE_INFINITY &&
                        series.lastEntry().getValue() == value, where + "+Inf bucket missing or not equal to _count");
                }
                else
                {
                    require(name.equals(family + "_sum"), where + "unexpected histogram series");
                }
            }
        }
        return samples;
    }

    /** Every line of a family comes in one block: a family seen before another one started may not come back. */
    private static String enter(final String family, final String current, final Set<String> finished,
        final String where)
    {
        if (!family.equals(current))
        {
            require(!finished.contains(family), where + "family " + family + " is not contiguous");
            if (current != null)
            {
                finished.add(current);
            }
        }
        return family;
    }

    private static boolean samplesOf(final Map<String, Double> samples, final String family)
    {
        return samples.keySet().stream().anyMatch(s -> s.startsWith(family + "{") || s.startsWith(family + "_"));
    }

    private static String familyOf(final String name, final Map<String, String> types)
    {
        for (final String suffix : new String[] {"_bucket", "_sum", "_count"})
        {
            if (name.endsWith(suffix))
            {
                final String family = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(family)))
                {
                    return family;
                }
            }
        }
        return name;
    }

    private static Map<String, String> labels(final String text, final String where)
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty())
        {
            return labels;
        }
        final Matcher label = LABEL.matcher(text);
        int position = 0;
        while (position < text.length())
        {
            require(label.find(position) && label.start() == position, where + "malformed labels at " + position);
            require(labels.put(label.group(1), unescape(label.group(2))) == null, where + "duplicate label");
            position = label.end();
            if (position < text.length())
            {
                require(text.charAt(position) == ',', where + "labels must be separated by commas");
                position++;
            }
        }
        return labels;
    }

    private static String unescape(final String value)
    {
        return value.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String series(final String name, final Map<String, String> labels)
    {
        final StringBuilder text = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> text.append(text.charAt(text.length() - 1) == '{' ? "" : ",").append(k)
            .append("=\"").append(v).append('"'));
        return text.append('}').toString();
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }
}
