package org.kotekanj.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.PrometheusFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kotekan-j stat} shows what {@code GET /metrics} shows: the same series, the same (cumulative) values. */
class StatCommandTest
{
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String metrics(final KotekanService service) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.restPort() + "/metrics"))
            .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Plain {@code stat}: a header line, then one {@code series value} line per series. */
    private static Map<String, Double> plainSamples(final String out)
    {
        final Map<String, Double> samples = new LinkedHashMap<>();
        out.lines().skip(1).forEach(line ->
        {
            final int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }

    @Test
    void shouldPrintTheSameSeriesAndCumulativeValuesAsMetrics() throws Exception
    {
        try (KotekanService service = KotekanService.open(new ServiceOptions(true, "127.0.0.1", 0, dir, "stat-test"),
            StageRegistry.discover(), false))
        {
            final ConfigErrors errors = new ConfigErrors();
            final Pipeline pipeline = service.start(YamlConfigLoader.parse("""
                num_frames: 4
                frame_size: 64
                source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: 200}
                sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 20}
                buf: {kotekan_buffer: standard}
                """, "stat.yaml", errors));
            assertTrue(errors.isEmpty(), errors.list().toString());
            assertTrue(pipeline.awaitStages(java.time.Duration.ofSeconds(30)), "the pipeline did not finish");
            assertTrue(pipeline.stop());
            final String instance = "--instance=stat-test";
            final String directory = "--counters-dir=" + dir;
            // The metrics thread refreshes gauges every second: compare snapshots taken between two refreshes.
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (true)
            {
                final String scraped = metrics(service);
                final Cli.Result prometheus = Cli.run("stat", directory, instance, "--prometheus");
                final Cli.Result plain = Cli.run("stat", directory, instance);
                final String again = metrics(service);
                if (scraped.equals(again) || System.nanoTime() > deadline)
                {
                    assertEquals(0, prometheus.exitCode(), prometheus.err());
                    assertEquals(scraped, prometheus.out());
                    final Map<String, Double> samples = PrometheusFormat.validate(scraped);
                    assertTrue(samples.get("kotekan_stage_cycle_time_seconds_count{stage_name=\"/sink\"}") >= 200,
                        scraped);
                    assertTrue(samples.get(
                        "kotekan_stage_cycle_time_seconds_bucket{stage_name=\"/sink\",le=\"+Inf\"}") >= 200, scraped);
                    assertEquals(0, plain.exitCode(), plain.err());
                    assertEquals(samples, plainSamples(plain.out()));
                    return;
                }
            }
        }
    }
}
