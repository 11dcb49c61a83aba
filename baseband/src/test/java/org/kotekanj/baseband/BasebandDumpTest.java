package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindow;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.answers.Verification;
import org.kotekanj.sim.signal.FrbPulse;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trigger to file: every byte of every dumped file against the simulator's tpluse signal, for several DMs. */
class BasebandDumpTest
{
    @TempDir
    Path archive;

    @ParameterizedTest
    @CsvSource({
        "1, 0.0, 400.0, 500",
        "3.5, 0.5, 400.0, 64",
        "2.0, 1.5, 600.0, 300",
        "0.0, 0.0, 800.0, 1",
        "4.0, 0.25, 700.0, 2000"})
    void shouldDumpEveryByteOfTheDispersedWindowOfEveryFrequency(final double dm, final double dmError,
        final double refFreq, final long durationSamples) throws Exception
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 96))
        {
            h.feeder.feedRange(0, 96);
            h.readout.doWork();
            final long start = 60_000;
            final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(7, start, durationSamples, dm, dmError,
                refFreq));
            assertEquals(202, reply.status(), reply.json().toString());
            final JsonNode status = h.runUntilEnded(7);
            assertEquals("done", status.get("status").asText(), status.toString());
            final Path dir = archive.resolve("test/astro_7");
            final JsonNode manifest = Json.parse(Files.readString(dir.resolve("event.json")));
            for (int f = 0; f < ReadoutHarness.FREQ_IDS.length; f++)
            {
                final int freqId = ReadoutHarness.FREQ_IDS[f];
                final double mhz = h.feeder.shape.freqMhz()[f];
                final long[] window = expectedWindow(start, durationSamples * 2560, dm, dmError, mhz, refFreq);
                final JsonNode plan = reply.json().get("freqs").get(Integer.toString(freqId));
                assertEquals(window[0], plan.get("start_fpga").asLong(), "start of freq_id " + freqId);
                assertEquals(window[1] - window[0], plan.get("length_fpga").asLong(), "length of freq_id " + freqId);
                final Path file = dir.resolve("baseband_7_" + freqId + ".h5");
                final BasebandWindow dump = BasebandWindowFile.read(file);
                assertEquals(window[0], dump.firstSeq());
                assertEquals(window[1] - window[0], dump.numTimes());
                assertEquals(16, dump.numInputs());
                for (final boolean p : dump.present())
                {
                    assertTrue(p);
                }
                final Verification check = BasebandVerifier.verify(dump, new TplusESignal(), 5);
                assertTrue(check.passed(), () -> describe(check));
                final JsonNode entry = manifest.get("freqs").get(Integer.toString(freqId));
                assertEquals(sha256(file), entry.get("sha256").asText());
                assertEquals(Files.size(file), entry.get("file_bytes").asLong());
                assertEquals("done", entry.get("status").asText());
            }
        }
    }

    @Test
    void shouldWriteTheAttributesOfTheContract() throws Exception
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(9, 50_000, 100, 1.0, 0.1, 400.0)).status());
            h.runUntilEnded(9);
            final Path file = archive.resolve("test/astro_9/baseband_9_300.h5");
            try (HdfFile hdf = new HdfFile(file))
            {
                final long[] window = expectedWindow(50_000, 100 * 2560, 1.0, 0.1, 800 - 0.390625 * 300, 400.0);
                assertEquals(9L, number(hdf, "event_id"));
                assertEquals(300L, number(hdf, "freq_id"));
                assertEquals(800 - 0.390625 * 300, hdf.getAttribute("freq").getData());
                assertEquals(window[0], number(hdf, "time0_fpga_count"));
                assertEquals(window[0], number(hdf, "event_start_fpga"));
                assertEquals(window[1], number(hdf, "event_end_fpga"));
                assertEquals((ReadoutHarness.FRAME0 + window[0] * 2560) * 1e-9,
                    (double)hdf.getAttribute("time0_ctime").getData(), 1e-6);
                assertEquals("CONFIG", hdf.getAttribute("type_time0_ctime").getData());
                assertEquals(2.56e-6, (double)hdf.getAttribute("delta_time").getData(), 1e-15);
                assertEquals(1.0, hdf.getAttribute("dm").getData());
                assertEquals(0.1, hdf.getAttribute("dm_error").getData());
                assertEquals(4.148808, hdf.getAttribute("k_dm").getData());
                assertEquals(400.0, hdf.getAttribute("ref_freq").getData());
                assertEquals(0L, number(hdf, "n_lost_samples"));
                assertEquals("full", hdf.getAttribute("status").getData());
                for (final String name : new String[] {"archive_version", "software_version", "time0_ctime_offset",
                    "first_packet_recv_time"})
                {
                    assertTrue(hdf.getAttribute(name) != null, name);
                }
                assertArrayEquals(new String[] {"time", "input"},
                    (String[])hdf.getDatasetByPath("baseband").getAttribute("axis").getData());
                assertArrayEquals(new int[] {(int)(window[1] - window[0]), 16},
                    hdf.getDatasetByPath("baseband").getDimensions());
                assertEquals(16, hdf.getDatasetByPath("index_map/input_chan_id").getDimensions()[0]);
                assertEquals(16, hdf.getDatasetByPath("index_map/input_correlator_input").getDimensions()[0]);
            }
        }
    }

    /** The contract's formula, computed with the simulator's delay (an independent implementation). */
    static long[] expectedWindow(final long startFpga, final long durationNanos, final double dm, final double dmError,
        final double freqMhz, final double refFreq)
    {
        return expectedWindowNanos(startFpga * 2560, durationNanos, dm, dmError, freqMhz, refFreq);
    }

    /** The same, from {@code t0} in ns after sample 0 (a unix-time trigger less {@code frame0}). */
    static long[] expectedWindowNanos(final long t0, final long durationNanos, final double dm, final double dmError,
        final double freqMhz, final double refFreq)
    {
        final long plus = new FrbPulse(0, dm + dmError, 1, 1, refFreq, 4.148808, 2560).delayNanos(freqMhz);
        final long minus = dm - dmError >= 0 ? new FrbPulse(0, dm - dmError, 1, 1, refFreq, 4.148808, 2560)
            .delayNanos(freqMhz) : -new FrbPulse(0, dmError - dm, 1, 1, refFreq, 4.148808, 2560).delayNanos(freqMhz);
        final long start = t0 + Math.min(plus, minus);
        final long end = t0 + durationNanos + Math.max(plus, minus);
        return new long[] {Math.floorDiv(start, 2560), Math.ceilDiv(end, 2560)};
    }

    static long number(final HdfFile hdf, final String name)
    {
        return ((Number)hdf.getAttribute(name).getData()).longValue();
    }

    static String sha256(final Path file) throws IOException
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (final java.security.NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    static String describe(final Verification check)
    {
        final java.io.StringWriter text = new java.io.StringWriter();
        check.print(new java.io.PrintWriter(text));
        return text.toString();
    }
}
