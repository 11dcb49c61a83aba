package org.kotekanj.baseband;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters of refused triggers and failed disks: {@code kotekan_baseband_rejected_total{status}} counts every
 * refused {@code POST /baseband} by the HTTP status it was answered with, accepted and repeated triggers not at all,
 * and a 507 (refused before any write) is not a disk error.
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
}
