package org.kotekanj.status;

import java.util.Map;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsRegistryTest
{
    private final MetricsRegistry metrics = MetricsRegistry.inMemory();

    @Test
    void shouldExposeEveryKindOfSeriesInValidPrometheusTextFormat()
    {
        metrics.counter(MetricNames.RX_PACKETS, "/gpu/recv_0", "stream", "1.2.3", "port", "10001").getAndAdd(42);
        metrics.counter(MetricNames.RX_PACKETS, "/gpu/recv_1", "stream", "1.2.4", "port", "10002").getAndAdd(7);
        metrics.counter(MetricNames.RX_MALFORMED, "/gpu/recv_0", "reason", "length").increment();
        metrics.gauge(MetricNames.BUFFER_FRAMES_FULL, "/buf", "buffer", "buf").set(3);
        metrics.gaugeNanos(MetricNames.STAGE_MAX_CYCLE, "/gpu/recv_0").set(1_500_000);
        metrics.gaugeRatio(MetricNames.RX_IDLE_RATIO, "/gpu/recv_0").set(250_000);
        metrics.gauge("kotekan_test_odd_label", "/odd \"quoted\" \\ stage\nname").set(1);
        final BucketHistogram batch = metrics.bucketHistogram(MetricNames.RX_BATCH_SIZE, "/gpu/recv_0",
            new long[] {1, 8, 64});
        for (final long value : new long[] {1, 1, 5, 8, 9, 100})
        {
            batch.record(value);
        }
        final LatencyHistogram cycle = metrics.latencyHistogram(MetricNames.STAGE_CYCLE_TIME, "/gpu/recv_0");
        cycle.recordNanos(500);
        cycle.recordNanos(50_000);
        cycle.recordNanos(20_000_000_000L);

        final String text = metrics.prometheus();
        final Map<String, Double> samples = PrometheusFormat.validate(text);
        assertEquals(42.0, samples.get("kotekan_rx_packets_total{stage_name=\"/gpu/recv_0\",stream=\"1.2.3\"," +
            "port=\"10001\"}"));
        assertEquals(7.0, samples.get("kotekan_rx_packets_total{stage_name=\"/gpu/recv_1\",stream=\"1.2.4\"," +
            "port=\"10002\"}"));
        assertEquals(1.0, samples.get("kotekan_rx_malformed_total{stage_name=\"/gpu/recv_0\",reason=\"length\"}"));
        assertEquals(3.0, samples.get("kotekan_buffer_frames_full{stage_name=\"/buf\",buffer=\"buf\"}"));
        assertEquals(0.0015, samples.get("kotekan_stage_max_cycle_seconds{stage_name=\"/gpu/recv_0\"}"));
        assertEquals(0.25, samples.get("kotekan_rx_idle_ratio{stage_name=\"/gpu/recv_0\"}"));
        assertEquals(1.0, samples.get("kotekan_test_odd_label{stage_name=\"/odd \"quoted\" \\ stage\nname\"}"));
        final String batchSeries = "kotekan_rx_batch_size_bucket{stage_name=\"/gpu/recv_0\",le=\"";
        assertEquals(2.0, samples.get(batchSeries + "1\"}"));
        assertEquals(4.0, samples.get(batchSeries + "8\"}"));
        assertEquals(5.0, samples.get(batchSeries + "64\"}"));
        assertEquals(6.0, samples.get(batchSeries + "+Inf\"}"));
        assertEquals(124.0, samples.get("kotekan_rx_batch_size_sum{stage_name=\"/gpu/recv_0\"}"));
        assertEquals(6.0, samples.get("kotekan_rx_batch_size_count{stage_name=\"/gpu/recv_0\"}"));
        final String cycleSeries = "kotekan_stage_cycle_time_seconds_bucket{stage_name=\"/gpu/recv_0\",le=\"";
        assertEquals(1.0, samples.get(cycleSeries + "1.0E-6\"}"));
        assertEquals(2.0, samples.get(cycleSeries + "1.0E-4\"}"));
        assertEquals(2.0, samples.get(cycleSeries + "10.0\"}"));
        assertEquals(3.0, samples.get(cycleSeries + "+Inf\"}"));
        assertEquals(20.0, samples.get("kotekan_stage_cycle_time_seconds_sum{stage_name=\"/gpu/recv_0\"}"), 0.1);
        assertTrue(text.contains("# TYPE kotekan_rx_packets_total counter\n"), text);
        assertTrue(text.contains("# TYPE kotekan_rx_batch_size histogram\n"), text);
        assertTrue(text.contains("# HELP kotekan_rx_packets_total datagrams accepted and placed\n"), text);
    }

    @Test
    void shouldKeepHistogramsCumulativeAcrossScrapes()
    {
        final LatencyHistogram cycle = metrics.latencyHistogram(MetricNames.STAGE_CYCLE_TIME, "/s");
        cycle.recordNanos(2_000);
        PrometheusFormat.validate(metrics.prometheus());
        cycle.recordNanos(2_000);
        final Map<String, Double> samples = PrometheusFormat.validate(metrics.prometheus());
        assertEquals(2.0, samples.get("kotekan_stage_cycle_time_seconds_count{stage_name=\"/s\"}"));
        assertEquals(2.0, samples.get("kotekan_stage_cycle_time_seconds_bucket{stage_name=\"/s\",le=\"1.0E-5\"}"));
    }

    @Test
    void shouldRefreshDerivedGaugesOnEverySample()
    {
        final AtomicCounter derived = metrics.gauge("kotekan_test_derived", "/s");
        final long[] source = {5};
        metrics.onSample(() -> derived.set(source[0] * 2));
        metrics.sample();
        assertEquals(10, derived.get());
        source[0] = 6;
        assertEquals(12.0,
            PrometheusFormat.validate(metrics.prometheus()).get("kotekan_test_derived{stage_name=\"/s\"}"));
    }

    @Test
    void shouldRefuseSeriesThatDoNotFitACounterLabel()
    {
        final String stage = "/" + "x".repeat(400);
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> metrics.counter(MetricNames.RX_PACKETS, stage));
        assertTrue(error.getMessage().startsWith("metric series longer than 380 characters: kotekan_rx_packets_total{"),
            error.getMessage());
        assertEquals("labels come in name, value pairs", assertThrows(IllegalArgumentException.class,
            () -> metrics.counter(MetricNames.RX_PACKETS, "/s", "stream")).getMessage());
    }

    @Test
    void shouldFreeEverySeriesForTheNextPipeline()
    {
        metrics.counter(MetricNames.RX_PACKETS, "/a").increment();
        metrics.latencyHistogram(MetricNames.STAGE_CYCLE_TIME, "/a").recordNanos(1);
        metrics.freeAll();
        assertEquals("", metrics.prometheus());
        metrics.counter(MetricNames.RX_PACKETS, "/b").increment();
        assertEquals(Map.of("kotekan_rx_packets_total{stage_name=\"/b\"}", 1.0),
            PrometheusFormat.validate(metrics.prometheus()));
    }
}
