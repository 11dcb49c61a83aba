package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindow;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kotekanj.baseband.ReadoutHarness.FRAME0;

/**
 * Triggers the other tests do not send: unix times (as CHIME's real-time system sends them) through each time
 * reference, the "earliest available" start, a subset of frequencies, and an event after one the disk stopped.
 */
class BasebandTriggerTest
{
    @TempDir
    Path archive;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldPlaceAUnixTimeTriggerOnTheSampleCounterThroughTheTimeReference(final boolean fromConfig)
        throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 96, FreeSpace.fileSystem(),
            fromConfig ? UnaryOperator.identity() : ReadoutHarness::withoutFrame0))
        {
            h.feeder.feedRange(0, 96);
            h.readout.doWork();
            // The feeder's first packet of frame F arrives at FRAME0 + F·T·2.56 us, so both references agree.
            final long t0 = 60_000L * 2560 + 1234;
            final long unix = FRAME0 + t0;
            final double dm = 3.0;
            final double dmError = 0.4;
            final long duration = 777 * 2560 + 5;
            final ReadoutHarness.Reply reply = h.post(String.format("{\"event_id\": 21, \"start_unix_seconds\": %d, " +
                "\"start_unix_nano\": %d, \"duration_nano\": %d, \"dm\": %s, \"dm_error\": %s, \"file_path\": " +
                "\"test\"}", unix / 1_000_000_000L, unix % 1_000_000_000L, duration, dm, dmError));
            assertEquals(202, reply.status(), reply.json().toString());
            final JsonNode status = h.runUntilEnded(21);
            assertEquals("done", status.get("status").asText(), status.toString());
            for (int f = 0; f < ReadoutHarness.FREQ_IDS.length; f++)
            {
                final int freqId = ReadoutHarness.FREQ_IDS[f];
                final long[] window = BasebandDumpTest.expectedWindowNanos(t0, duration, dm, dmError,
                    h.feeder.shape.freqMhz()[f], 400.0);
                final JsonNode plan = reply.json().at("/freqs/" + freqId);
                assertEquals(window[0], plan.get("start_fpga").asLong(), "freq_id " + freqId);
                assertEquals(window[1] - window[0], plan.get("length_fpga").asLong(), "freq_id " + freqId);
                final Path file = archive.resolve("test/astro_21/baseband_21_" + freqId + ".h5");
                final BasebandWindow dump = BasebandWindowFile.read(file);
                assertEquals(window[0], dump.firstSeq());
                assertTrue(BasebandVerifier.verify(dump, new TplusESignal(), 5).passed());
                try (HdfFile hdf = new HdfFile(file))
                {
                    assertEquals(fromConfig ? "CONFIG" : "PACKET_RECV", hdf.getAttribute("type_time0_ctime").getData());
                    assertEquals((FRAME0 + window[0] * 2560) * 1e-9, (double)hdf.getAttribute("time0_ctime").getData(),
                        1e-6);
                }
            }
        }
    }

    @Test
    void shouldDumpTheOldestSamplesWithoutADispersionShiftForANegativeStartUnixSeconds() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 32))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final long oldest = h.readout.ringState().oldest();
            final ReadoutHarness.Reply reply = h.post("{\"event_id\": 22, \"start_unix_seconds\": -1, " +
                "\"start_unix_nano\": 0, \"duration_nano\": " + 1000 * 2560 + ", \"dm\": 500, \"dm_error\": 5, " +
                "\"file_path\": \"test\"}");
            assertEquals(202, reply.status(), reply.json().toString());
            final JsonNode status = h.runUntilEnded(22);
            assertEquals("done", status.get("status").asText(), status.toString());
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                assertEquals(oldest, reply.json().at("/freqs/" + freqId + "/start_fpga").asLong());
                assertEquals(1000, reply.json().at("/freqs/" + freqId + "/length_fpga").asLong());
                final BasebandWindow dump = BasebandWindowFile.read(archive.resolve("test/astro_22/baseband_22_" +
                    freqId + ".h5"));
                assertEquals(oldest, dump.firstSeq());
                assertTrue(BasebandVerifier.verify(dump, new TplusESignal(), 5).passed());
            }
        }
    }

    @Test
    void shouldDumpOnlyTheFrequenciesAskedFor() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            final String body = ReadoutHarness.trigger(23, 40_000, 200, 1.0, 0.0, 400.0)
                .replace("}", ", \"freq_ids\": [1000, 300]}");
            final ReadoutHarness.Reply reply = h.post(body);
            assertEquals(202, reply.status(), reply.json().toString());
            assertEquals(List.of("300", "1000"), iterable(reply.json().get("freqs").fieldNames()));
            assertEquals("done", h.runUntilEnded(23).get("status").asText());
            try (Stream<Path> files = Files.list(archive.resolve("test/astro_23")))
            {
                assertEquals(List.of("baseband_23_1000.h5", "baseband_23_300.h5", "event.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    @Test
    void shouldGoOnWithTheNextEventAfterTheDiskStoppedOne() throws IOException
    {
        final AtomicBoolean full = new AtomicBoolean();
        final AtomicLong calls = new AtomicLong();
        // Room at the trigger, then full after a few chunks of the first event; room again afterwards.
        final FreeSpace disk = dir -> full.get() && calls.incrementAndGet() > 3 ? 100 : 1L << 40;
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, disk, s -> s))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(24, 30_000, 20_000, 0, 0, 400)).status());
            full.set(true);
            final JsonNode stopped = h.runUntilEnded(24);
            assertEquals("error", stopped.get("status").asText(), stopped.toString());
            assertTrue(stopped.at("/freqs/0/reason").asText().startsWith("disk full"), stopped.toString());
            full.set(false);
            h.feeder.feedRange(64, 8);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(25, 60_000, 2_000, 0, 0, 400)).status());
            final JsonNode next = h.runUntilEnded(25);
            assertEquals("done", next.get("status").asText(), next.toString());
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                assertTrue(BasebandVerifier.verify(BasebandWindowFile.read(archive.resolve("test/astro_25/baseband_25_" +
                    freqId + ".h5")), new TplusESignal(), 5).passed());
            }
            assertFalse(Files.exists(archive.resolve("test/astro_24/baseband_24_0.h5")));
            assertTrue(h.metrics.prometheus().contains("kotekan_baseband_disk_errors_total{stage_name=\"/baseband\"} 1\n"),
                h.metrics.prometheus());
        }
    }

    private static List<String> iterable(final java.util.Iterator<String> names)
    {
        final List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
