package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindow;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each failure mode of {@code shared/specs/baseband.md} answers with its specified status; ingest never waits. */
class BasebandFailureModesTest
{
    @TempDir
    Path archive;

    @Test
    void shouldEndALateTriggerAsErrorLateWithoutFiles()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 32))
        {
            h.feeder.feedRange(0, 96);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(1, 10_000, 100, 0.0, 0.0, 400.0));
            assertEquals(202, reply.status());
            assertEquals("late", reply.json().at("/freqs/300/predicted").asText());
            final JsonNode status = h.runUntilEnded(1);
            assertEquals("error", status.at("/freqs/300/status").asText());
            assertTrue(status.at("/freqs/300/reason").asText().startsWith("late"));
            assertFalse(Files.exists(archive.resolve("test/astro_1/baseband_1_300.h5")));
        }
    }

    @Test
    void shouldClipAPartlyOverwrittenWindowAndRecordWhatWasCaptured() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 32))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final long oldest = h.readout.ringState().oldest();
            final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(2, oldest - 500, 1000, 0.0, 0.0,
                400.0));
            assertEquals(202, reply.status());
            assertEquals("partial", reply.json().at("/freqs/0/predicted").asText());
            assertEquals(oldest, reply.json().at("/freqs/0/start_fpga").asLong());
            final JsonNode status = h.runUntilEnded(2);
            assertEquals("partial", status.at("/freqs/0/status").asText(), status.toString());
            assertEquals(oldest, status.at("/freqs/0/captured/0").asLong());
            assertEquals(oldest + 500, status.at("/freqs/0/captured/1").asLong());
            assertEquals(oldest - 500, status.at("/freqs/0/requested/0").asLong());
            final BasebandWindow dump = BasebandWindowFile.read(archive.resolve("test/astro_2/baseband_2_0.h5"));
            assertEquals(oldest, dump.firstSeq());
            assertTrue(BasebandVerifier.verify(dump, new TplusESignal(), 5).passed());
            try (HdfFile hdf = new HdfFile(archive.resolve("test/astro_2/baseband_2_0.h5")))
            {
                assertEquals("partial", hdf.getAttribute("status").getData());
            }
        }
    }

    @Test
    void shouldWaitForAFutureWindowAndDumpItWhenItArrives() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 20);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(3, 30_000, 2000, 0.0, 0.0, 400.0));
            assertEquals(202, reply.status(), reply.json().toString());
            assertEquals("future", reply.json().at("/freqs/0/predicted").asText());
            h.readout.doWork();
            assertEquals("waiting", h.get("3").json().at("/freqs/0/status").asText());
            assertEquals(2000 * 16, h.get("3").json().at("/freqs/0/total").asLong());
            assertEquals(2000 * 16, h.get("3").json().at("/freqs/0/remaining").asLong());
            h.feeder.feedRange(20, 20);
            final JsonNode status = h.runUntilEnded(3);
            assertEquals("done", status.at("/freqs/0/status").asText());
            assertEquals(0, status.at("/freqs/0/remaining").asLong());
            assertTrue(BasebandVerifier.verify(BasebandWindowFile.read(archive.resolve("test/astro_3/baseband_3_0.h5")),
                new TplusESignal(), 5).passed());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"event_id\": 4, \"start_fpga\": 1000, \"duration_nano\": 20000000000, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|duration_nano",
        "{\"event_id\": 4, \"start_fpga\": 1000, \"duration_nano\": 999999999999999999, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|duration_nano",
        "{\"event_id\": 4, \"start_fpga\": 1000, \"duration_nano\": 1000, \"dm\": 1, \"dm_error\": 500, \"file_path\": \"x\"}|dm_error",
        "{\"event_id\": 4, \"start_fpga\": 100000000, \"duration_nano\": 1000, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_fpga",
        "{\"event_id\": 4, \"start_fpga\": 1000, \"duration_nano\": 1000, \"dm\": 1e9, \"dm_error\": 0, \"file_path\": \"x\", \"ref_freq_mhz\": 800}|start_fpga",
        "{\"event_id\": 4, \"start_fpga\": 1000, \"duration_nano\": 1000, \"dm\": 1e9, \"dm_error\": 1e9, \"file_path\": \"x\"}|dm_error"})
    void shouldRefuseTooLongOrTooDistantWindowsWith413(final String body, final String field)
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, FreeSpace.fileSystem(),
            s -> new ReadoutSettings(s.archiveRoot(), 0.05, s.kDm(), s.refFreqMhz(), s.maxQueuedEvents(),
                s.maxEventsKept(), s.stagingBytes(), s.chunkBytes(), s.copyBudgetBytes(), s.frame0Nanos())))
        {
            h.feeder.feedRange(0, 8);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post(body);
            assertEquals(413, reply.status(), reply.json().toString());
            assertEquals(field, reply.json().get("field").asText());
            assertTrue(reply.json().get("error").asText().length() > 10);
            assertEquals(404, h.get("4").status());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"event_id\": 5, \"start_unix_seconds\": 0, \"start_unix_nano\": 0, \"duration_nano\": 10000000, \"dm\": 556.9, \"dm_error\": 0.5, \"file_path\": \"x\"}",
        "{\"event_id\": 5, \"start_fpga\": 50000, \"duration_nano\": 1000000, \"dm\": 1e9, \"dm_error\": 0, \"file_path\": \"x\"}"})
    void shouldAnswerAbsurdTriggersAtOnceAsLate(final String body)
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post(body);
            assertEquals(202, reply.status(), reply.json().toString());
            for (final JsonNode freq : reply.json().get("freqs"))
            {
                assertEquals("late", freq.get("predicted").asText());
                assertEquals(0, freq.get("expected_bytes").asLong());
            }
            h.readout.doWork();
            assertEquals("error", h.get("5").json().get("status").asText());
            // The ring goes on: the producer is never held back.
            h.feeder.feedRange(64, 64);
        }
    }

    @Test
    void shouldGiveOverlappingEventsTheirOwnFiles() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(10, 40_000, 3000, 1.0, 0.0, 400.0)).status());
            assertEquals(202, h.post(ReadoutHarness.trigger(11, 41_000, 3000, 1.0, 0.2, 400.0)).status());
            assertEquals("done", h.runUntilEnded(10).get("status").asText());
            assertEquals("done", h.runUntilEnded(11).get("status").asText());
            for (final String file : new String[] {"test/astro_10/baseband_10_600.h5",
                "test/astro_11/baseband_11_600.h5"})
            {
                assertTrue(BasebandVerifier.verify(BasebandWindowFile.read(archive.resolve(file)), new TplusESignal(),
                    5).passed());
            }
        }
    }

    @Test
    void shouldAnswerARepeatedEventIdWithTheSamePlanOrAConflict()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final String body = ReadoutHarness.trigger(12, 40_000, 100, 1.0, 0.0, 400.0);
            final ReadoutHarness.Reply first = h.post(body);
            assertEquals(202, first.status());
            final ReadoutHarness.Reply again = h.post(body);
            assertEquals(200, again.status());
            assertEquals(first.json(), again.json());
            final ReadoutHarness.Reply different = h.post(ReadoutHarness.trigger(12, 40_001, 100, 1.0, 0.0, 400.0));
            assertEquals(409, different.status());
            assertEquals("event_id", different.json().get("field").asText());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|event_id",
        "{\"event_id\": -1, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|event_id",
        "{\"event_id\": \"7\", \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|event_id",
        "{\"event_id\": 1.5, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|event_id",
        "{\"event_id\": 99999999999999999999999, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|event_id",
        "{\"event_id\": 7, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_unix_seconds",
        "{\"event_id\": 7, \"start_unix_seconds\": 1700000000, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_unix_nano",
        "{\"event_id\": 7, \"start_unix_seconds\": 1700000000, \"start_unix_nano\": 1000000000, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_unix_nano",
        "{\"event_id\": 7, \"start_unix_seconds\": 1, \"start_unix_nano\": 0, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_fpga",
        "{\"event_id\": 7, \"start_fpga\": -5, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|start_fpga",
        "{\"event_id\": 7, \"start_fpga\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|duration_nano",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": -1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|duration_nano",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm_error\": 0, \"file_path\": \"x\"}|dm",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": -3, \"dm_error\": 0, \"file_path\": \"x\"}|dm",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": \"big\", \"dm_error\": 0, \"file_path\": \"x\"}|dm",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"file_path\": \"x\"}|dm_error",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 1e400, \"file_path\": \"x\"}|dm_error",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": 3}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\", \"ref_freq_mhz\": 0}|ref_freq_mhz",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\", \"freq_ids\": [5]}|freq_ids",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\", \"freq_ids\": [0, 0]}|freq_ids",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\", \"freq_ids\": \"all\"}|freq_ids",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\", \"source\": \"aliens\"}|source",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"../etc\"}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"/etc\"}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"a/../../b\"}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"a b\"}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"a\\\\b\"}|file_path",
        "{\"event_id\": 7, \"start_fpga\": 1, \"duration_nano\": 1, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"\"}|file_path"})
    void shouldRejectEachBadFieldWith400NamingIt(final String body, final String field)
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 8))
        {
            final ReadoutHarness.Reply reply = h.post(body);
            assertEquals(400, reply.status(), reply.json().toString());
            assertEquals(field, reply.json().get("field").asText(), reply.json().toString());
            assertFalse(reply.json().get("error").asText().isBlank());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{", "[1, 2]", "not json", "{\"event_id\": 1,}", "''", "{\"a\": 1} {}"})
    void shouldRejectMalformedJsonWithAMessage(final String body)
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 8))
        {
            final ReadoutHarness.Reply reply = h.post(body.equals("''") ? "" : body);
            assertEquals(400, reply.status());
            assertFalse(reply.json().get("error").asText().isBlank());
        }
    }

    @Test
    void shouldAnswer422ForAUnixTimeWithoutATimeReference()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 8, FreeSpace.fileSystem(),
            s -> new ReadoutSettings(s.archiveRoot(), s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(),
                s.maxQueuedEvents(), s.maxEventsKept(), s.stagingBytes(), s.chunkBytes(), s.copyBudgetBytes(), -1)))
        {
            final ReadoutHarness.Reply reply = h.post("{\"event_id\": 1, \"start_unix_seconds\": 1700000000, " +
                "\"start_unix_nano\": 0, \"duration_nano\": 1000, \"dm\": 1, \"dm_error\": 0, \"file_path\": \"x\"}");
            assertEquals(422, reply.status());
            assertEquals("start_unix_seconds", reply.json().get("field").asText());
            // Two frames give a PACKET_RECV time reference.
            h.feeder.feedRange(0, 2);
            h.readout.doWork();
            assertEquals("PACKET_RECV", h.readout.timeReference().type());
            assertEquals(ReadoutHarness.FRAME0, h.readout.timeReference().frame0Nanos());
        }
    }

    @Test
    void shouldAnswer503WhenTheQueueIsFull()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, FreeSpace.fileSystem(),
            s -> new ReadoutSettings(s.archiveRoot(), s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(), 1,
                s.maxEventsKept(), s.stagingBytes(), s.chunkBytes(), s.copyBudgetBytes(), s.frame0Nanos())))
        {
            h.feeder.feedRange(0, 10);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 20_000, 100, 0, 0, 400)).status());
            final ReadoutHarness.Reply second = h.post(ReadoutHarness.trigger(2, 20_000, 100, 0, 0, 400));
            assertEquals(503, second.status());
            assertTrue(second.json().get("error").asText().contains("queue"));
        }
    }

    @Test
    void shouldAnswer507BeforeWritingAnythingWhenTheDiskIsTooSmall()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, dir -> 10_000, s -> s))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(1, 40_000, 1000, 0, 0, 400));
            assertEquals(507, reply.status());
            assertEquals("file_path", reply.json().get("field").asText());
            assertFalse(Files.exists(archive.resolve("test")));
        }
    }

    @Test
    void shouldStopAnEventWhoseDiskFillsUpKeepingThePartialAndIngesting() throws IOException
    {
        final AtomicLong calls = new AtomicLong();
        final FreeSpace filling = dir -> calls.incrementAndGet() <= 3 ? 1L << 40 : 100;
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, filling, s -> s))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 30_000, 20_000, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(1);
            assertEquals("error", status.get("status").asText());
            assertTrue(status.at("/freqs/0/reason").asText().startsWith("disk full"), status.toString());
            try (Stream<Path> files = Files.list(archive.resolve("test/astro_1")))
            {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
            }
            assertTrue(h.metrics.prometheus().contains("kotekan_baseband_disk_errors_total{stage_name=\"/baseband\"} 1"),
                h.metrics.prometheus());
            h.feeder.feedRange(64, 64);
        }
    }

    @Test
    void shouldEndDumpsInProgressAsExitingOnShutdown() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 20);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 15_000, 20_000, 0, 0, 400)).status());
            h.readout.doWork();
            h.readout.exit();
            final JsonNode status = h.get("1").json();
            assertEquals("error", status.at("/freqs/0/status").asText());
            assertEquals("exiting", status.at("/freqs/0/reason").asText());
            final JsonNode manifest = org.kotekanj.rest.Json.parse(Files.readString(
                archive.resolve("test/astro_1/event.json")));
            assertEquals("exiting", manifest.at("/freqs/0/reason").asText());
        }
    }

    @Test
    void shouldMarkADumpWithAnFengineResetInsideTheWindowPartial() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 40);
            h.feeder.feed(40, FrameMetadataDescriptor.FLAG_RESET);
            h.feeder.feedRange(41, 10);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 40 * 1024 - 100, 300, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(1);
            assertEquals("partial", status.at("/freqs/0/status").asText());
            assertTrue(status.at("/freqs/0/reason").asText().contains("reset"));
            assertTrue(BasebandVerifier.verify(BasebandWindowFile.read(archive.resolve("test/astro_1/baseband_1_0.h5")),
                new TplusESignal(), 5).passed());
        }
    }

    @Test
    void shouldStoreLostPacketsAs0x88AndCountThem() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 30);
            // Frame 30: flag rows 5 and 6 of frequency index 1 lose input block 1 (2 samples each).
            h.feeder.feed(30, 0, new int[] {5, 1, 1}, new int[] {6, 1, 1});
            h.feeder.feedRange(31, 10);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 30 * 1024, 64, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(1);
            assertEquals(4, status.at("/freqs/300/lost_samples").asLong(), status.toString());
            assertEquals(0, status.at("/freqs/0/lost_samples").asLong());
            final Path file = archive.resolve("test/astro_1/baseband_1_300.h5");
            final BasebandWindow dump = BasebandWindowFile.read(file);
            for (int t = 0; t < 64; t++)
            {
                final boolean lost = t >= 10 && t < 14;
                assertEquals(!lost, dump.present()[t], "sample_present of t " + t);
                for (int i = 8; i < 16; i++)
                {
                    assertEquals(lost, dump.samples()[t][i] == (byte)0x88, "t " + t + " input " + i);
                }
            }
            try (HdfFile hdf = new HdfFile(file))
            {
                assertEquals(4L, ((Number)hdf.getAttribute("n_lost_samples").getData()).longValue());
            }
        }
    }

    @Test
    void shouldMarkRowsTheRingOvertookDuringASlowCopyMissingWithoutHoldingIngest() throws Exception
    {
        // A disk that takes 50 ms per chunk and staging of two chunks: the copier falls behind the ring.
        final FreeSpace slow = dir ->
        {
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            return 1L << 40;
        };
        try (ReadoutHarness h = new ReadoutHarness(archive, 16, slow,
            s -> new ReadoutSettings(s.archiveRoot(), s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(),
                s.maxQueuedEvents(), s.maxEventsKept(), 2 * (1024 * 17), 1024 * 17, 1024 * 17, s.frame0Nanos())))
        {
            h.feeder.feedRange(0, 16);
            h.readout.doWork();
            final long oldest = h.readout.ringState().oldest();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, oldest, 7 * 1024, 0, 0, 400)).status());
            long frame = 16;
            final Path manifest = archive.resolve("test/astro_1/event.json");
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(manifest) && System.nanoTime() < deadline)
            {
                h.feeder.feed(frame++, 0);
                h.readout.doWork();
                Thread.sleep(2);
            }
            final JsonNode status = h.get("1").json();
            assertEquals("partial", status.at("/freqs/1000/status").asText(), status.toString());
            assertTrue(status.at("/freqs/1000/missing_samples").asLong() > 0);
            final BasebandWindow dump = BasebandWindowFile.read(archive.resolve("test/astro_1/baseband_1_1000.h5"));
            assertTrue(BasebandVerifier.verify(dump, new TplusESignal(), 5).passed());
            int missing = 0;
            for (final boolean p : dump.present())
            {
                missing += p ? 0 : 1;
            }
            assertEquals(status.at("/freqs/1000/missing_samples").asLong(), missing);
        }
    }

    @Test
    void shouldCancelAnEventAndAnswerUnknownAndBadIds()
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 10);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(1, 20_000, 100, 0, 0, 400)).status());
            final ReadoutHarness.Reply cancelled = h.delete("1");
            assertEquals(200, cancelled.status());
            assertEquals("cancelled", cancelled.json().at("/freqs/0/reason").asText());
            assertEquals("error", h.get("1").json().get("status").asText());
            assertEquals(404, h.get("2").status());
            assertEquals(400, h.get("x/../1").status());
            assertEquals("event_id", h.get("abc").json().get("field").asText());
            assertNull(h.get("1").json().get("nothing"));
        }
    }
}
