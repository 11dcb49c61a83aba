package org.kotekanj.baseband;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code kotekan_baseband_*} series: a dump counted in each series of {@code shared/specs/metrics.md}, and the
 * counters of refused triggers and failed disks: {@code kotekan_baseband_rejected_total{status}} counts every refused
 * {@code POST /baseband} by the HTTP status it was answered with, accepted and repeated triggers not at all, and a
 * 507 (refused before any write) is not a disk error (a disk that fills during a dump is:
 * {@code BasebandFailureModesTest}, {@code BasebandTriggerTest}).
 */
class BasebandMetricsTest
{
    @TempDir
    Path archive;

    @Test
    void shouldCountRejectedTriggersByTheirHttpStatus()
    {
        // 2 MB of free disk: a 100-sample trigger fits (4 freqs x 100 x 16 bytes, plus 64 KiB per file and the
        // writer's 1 MiB reserve), a 20000-sample one (1.28 MB more) does not.
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, dir -> 2_000_000, s -> new ReadoutSettings(
            s.archiveRoot(), 0.1, s.kDm(), s.refFreqMhz(), 2, s.maxEventsKept(), s.stagingBytes(), s.chunkBytes(),
            s.copyBudgetBytes(), -1)))
        {
            assertEquals(422, h.post("{\"event_id\": 1, \"start_unix_seconds\": 1700000000, \"start_unix_nano\": 0, " +
                "\"duration_nano\": 1000, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}").status());
            h.feeder.feedRange(0, 40);
            h.readout.doWork();
            assertEquals(400, h.post("{").status());
            assertEquals(400, h.post("{\"event_id\": 2}").status());
            assertEquals(400, h.post(ReadoutHarness.trigger(3, 30_000, 100, 0, 0, 400).replace("test", "../up"))
                .status());
            assertEquals(413, h.post(ReadoutHarness.trigger(4, 30_000, 100_000, 0, 0, 400)).status());
            assertEquals(507, h.post(ReadoutHarness.trigger(5, 20_000, 20_000, 0, 0, 400)).status());
            final String accepted = ReadoutHarness.trigger(6, 30_000, 100, 0, 0, 400);
            assertEquals(202, h.post(accepted).status());
            assertEquals(200, h.post(accepted).status());
            assertEquals(409, h.post(ReadoutHarness.trigger(6, 30_001, 100, 0, 0, 400)).status());
            assertEquals(202, h.post(ReadoutHarness.trigger(7, 31_000, 100, 0, 0, 400)).status());
            assertEquals(503, h.post(ReadoutHarness.trigger(8, 32_000, 100, 0, 0, 400)).status());

            final String metrics = h.metrics.prometheus();
            for (final String line : new String[] {
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"400\"} 3",
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"409\"} 1",
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"413\"} 1",
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"422\"} 1",
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"503\"} 1",
                "kotekan_baseband_rejected_total{stage_name=\"/baseband\",status=\"507\"} 1",
                "kotekan_baseband_disk_errors_total{stage_name=\"/baseband\"} 0"})
            {
                assertTrue(metrics.contains(line + "\n"), line + " in\n" + metrics);
            }
            assertTrue(!metrics.contains("status=\"202\"") && !metrics.contains("status=\"200\""), metrics);
        }
    }

    @Test
    void shouldCountADumpInEverySeriesOfTheContract()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final double span = (h.readout.ringState().end() - h.readout.ringState().oldest()) * 2.56e-6;
            assertEquals(400, h.post("{").status());
            final ReadoutHarness.Reply accepted = h.post(ReadoutHarness.trigger(1, 40_000, 100, 1.0, 0.0, 400));
            assertEquals(202, accepted.status());
            long planned = 0;
            for (final JsonNode freq : accepted.json().get("freqs"))
            {
                planned += freq.get("expected_bytes").asLong();
            }
            assertEquals("done", h.runUntilEnded(1).get("status").asText());
            final String metrics = h.metrics.prometheus();
            assertEquals(2, value(metrics, "kotekan_baseband_requests_total{stage_name=\"/baseband\"}"), metrics);
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                final String labels = "{stage_name=\"/baseband\",freq_id=\"" + freqId + "\"";
                assertEquals(1, value(metrics, "kotekan_baseband_readout_total" + labels + ",status=\"done\"}"),
                    metrics);
                assertEquals(0, value(metrics, "kotekan_baseband_readout_in_progress" + labels + "}"), metrics);
            }
            assertEquals(planned, value(metrics, "kotekan_baseband_bytes_written_total{stage_name=\"/baseband\"}"));
            assertEquals(1, value(metrics, "kotekan_baseband_trigger_latency_seconds_count{stage_name=\"/baseband\"}"),
                metrics);
            assertEquals(span, value(metrics, "kotekan_baseband_ring_span_seconds{stage_name=\"/baseband\"}"), 1e-6);
            assertEquals(span, value(metrics, "kotekan_baseband_seconds_until_overwrite{stage_name=\"/baseband\"}"),
                1e-6, "with no dump running, the oldest sample lives as long as the ring spans");
        }
    }

    /** The value of one series in the Prometheus text. */
    private static double value(final String metrics, final String series)
    {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
            .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
            .orElseThrow(() -> new AssertionError(series + " not in\n" + metrics));
    }
}
