package org.kotekanj.status;

import java.util.Map;

/**
 * The metric names operators build dashboards on (the contract in {@code shared/specs/metrics.md}), with their help
 * text. Every series also carries {@code stage_name}, the stage's path in the config.
 */
public final class MetricNames
{
    public static final String STAGE_WORK_CYCLES = "kotekan_stage_work_cycles_total";
    public static final String STAGE_IDLE_CYCLES = "kotekan_stage_idle_cycles_total";
    public static final String STAGE_WORK_DONE = "kotekan_stage_work_done_total";
    public static final String STAGE_IDLE_RATIO = "kotekan_stage_idle_ratio";
    public static final String STAGE_MAX_CYCLE = "kotekan_stage_max_cycle_seconds";
    public static final String STAGE_CYCLE_TIME = "kotekan_stage_cycle_time_seconds";
    public static final String STAGE_CYCLE_QUANTILE = "kotekan_stage_cycle_time_quantile_seconds";
    public static final String STAGE_ERRORS = "kotekan_stage_errors_total";

    public static final String BUFFER_FRAMES_FULL = "kotekan_buffer_frames_full";
    public static final String BUFFER_FRAMES_IN_FLIGHT = "kotekan_buffer_frames_in_flight";
    public static final String BUFFER_FILL_RATIO = "kotekan_buffer_fill_ratio";
    public static final String BUFFER_HUGE_PAGE_RATIO = "kotekan_buffer_huge_page_ratio";
    public static final String BUFFER_PRODUCER_WAITS = "kotekan_buffer_producer_waits_total";
    public static final String BUFFER_CONSUMER_WAITS = "kotekan_buffer_consumer_waits_total";

    public static final String RX_PACKETS = "kotekan_rx_packets_total";
    public static final String RX_BYTES = "kotekan_rx_bytes_total";
    public static final String RX_LOST_SAMPLES = "kotekan_rx_lost_samples_total";
    public static final String RX_MALFORMED = "kotekan_rx_malformed_total";
    public static final String RX_TOO_OLD = "kotekan_rx_too_old_total";
    public static final String RX_DUPLICATES = "kotekan_rx_duplicates_total";
    public static final String RX_RESETS = "kotekan_rx_resets_total";
    public static final String RX_DROPPED_BACKPRESSURE = "kotekan_rx_dropped_backpressure_samples_total";
    public static final String RX_DROPPED_BACKPRESSURE_PACKETS = "kotekan_rx_dropped_backpressure_total";
    public static final String RX_SOCKET_DROPS = "kotekan_rx_socket_drops_total";
    public static final String RX_BATCH_SIZE = "kotekan_rx_batch_size";
    public static final String RX_IDLE_RATIO = "kotekan_rx_idle_ratio";

    private static final Map<String, String> HELP = Map.ofEntries(
        Map.entry(STAGE_WORK_CYCLES, "doWork calls that did work"),
        Map.entry(STAGE_IDLE_CYCLES, "doWork calls that found nothing to do"),
        Map.entry(STAGE_WORK_DONE, "sum of the work counts doWork returned"),
        Map.entry(STAGE_IDLE_RATIO, "fraction of recent doWork calls that found nothing to do"),
        Map.entry(STAGE_MAX_CYCLE, "longest single doWork call"),
        Map.entry(STAGE_CYCLE_TIME, "time of one doWork call that did work"),
        Map.entry(STAGE_CYCLE_QUANTILE, "quantiles of the time of one doWork call that did work"),
        Map.entry(STAGE_ERRORS, "exceptions thrown by the stage"),
        Map.entry(BUFFER_FRAMES_FULL, "frames published by every producer and not yet released by every consumer"),
        Map.entry(BUFFER_FRAMES_IN_FLIGHT, "frames claimed by a producer and not yet released by every consumer"),
        Map.entry(BUFFER_FILL_RATIO, "frames in flight over frames in the buffer"),
        Map.entry(BUFFER_HUGE_PAGE_RATIO, "fraction of the buffer's memory backed by huge pages"),
        Map.entry(BUFFER_PRODUCER_WAITS, "times a producer found no free frame"),
        Map.entry(BUFFER_CONSUMER_WAITS, "times a consumer found no full frame"),
        Map.entry(RX_PACKETS, "datagrams accepted and placed"),
        Map.entry(RX_BYTES, "payload bytes placed"),
        Map.entry(RX_LOST_SAMPLES, "time samples flagged lost (gaps, rejects, back-pressure)"),
        Map.entry(RX_MALFORMED, "rejected datagrams by reason"),
        Map.entry(RX_TOO_OLD, "datagrams that arrived after their frame was published"),
        Map.entry(RX_DUPLICATES, "datagrams carrying samples already placed"),
        Map.entry(RX_RESETS, "F-engine resets (large backwards jumps of seq)"),
        Map.entry(RX_DROPPED_BACKPRESSURE, "samples not placed because no frame was free"),
        Map.entry(RX_DROPPED_BACKPRESSURE_PACKETS, "datagrams not placed because no frame was free downstream"),
        Map.entry(RX_SOCKET_DROPS, "datagrams the kernel dropped before the receiver saw them"),
        Map.entry(RX_BATCH_SIZE, "datagrams per poll that found data"),
        Map.entry(RX_IDLE_RATIO, "fraction of recent polls that found nothing"));

    private MetricNames()
    {
    }

    public static String help(final String name)
    {
        return HELP.getOrDefault(name, name);
    }
}
