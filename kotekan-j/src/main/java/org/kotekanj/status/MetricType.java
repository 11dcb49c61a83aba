package org.kotekanj.status;

/**
 * Type ids stored with each counter in the counters file, so an outside reader knows how to render a value: counters
 * are monotonic, gauges are set; durations are stored in nanoseconds and ratios in millionths so that every value is
 * a single {@code long}.
 */
public final class MetricType
{
    public static final int COUNTER = 1;
    public static final int GAUGE = 2;
    public static final int GAUGE_NANOS = 3;
    public static final int GAUGE_MILLIONTHS = 4;
    public static final int HISTOGRAM_BUCKET = 5;
    public static final int HISTOGRAM_SUM = 6;
    public static final int HISTOGRAM_COUNT = 7;
    public static final int INTERNAL = 8;
    /** A histogram's sum of durations, stored in nanoseconds and shown in seconds. */
    public static final int HISTOGRAM_SUM_NANOS = 9;

    private MetricType()
    {
    }

    /** The value as Prometheus shows it (seconds for nanos, fraction for millionths). */
    public static double scaled(final int type, final long value)
    {
        return switch (type)
        {
            case GAUGE_NANOS, HISTOGRAM_SUM_NANOS -> value / 1e9;
            case GAUGE_MILLIONTHS -> value / 1e6;
            default -> value;
        };
    }

    /** True for the types rendered as Prometheus series (not {@link #INTERNAL}). */
    public static boolean isExported(final int type)
    {
        return type >= COUNTER && type <= HISTOGRAM_COUNT || type == HISTOGRAM_SUM_NANOS;
    }

    public static String prometheusType(final int type)
    {
        return switch (type)
        {
            case COUNTER -> "counter";
            case HISTOGRAM_BUCKET, HISTOGRAM_SUM, HISTOGRAM_COUNT, HISTOGRAM_SUM_NANOS -> "histogram";
            default -> "gauge";
        };
    }
}
