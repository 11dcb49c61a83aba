package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindow;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a dump makes of the ring's per-(time, input block) presence and per-stream {@code seq_offset}: every byte and
 * every {@code sample_present} flag of the file against what the ring was fed. The ring holds 16 inputs in two blocks
 * of 8, one stream per block (stream {@code s} = block {@code s}), flag rows of 2 samples, frames of 1024 samples.
 */
class RingCopierTest
{
    private static final TplusESignal SIGNAL = new TplusESignal();
    private static final int T = ReadoutHarness.SAMPLES_PER_FRAME;
    private static final int INPUTS_PER_BLOCK = 8;

    @TempDir
    Path archive;

    @Test
    void shouldFlagEveryTimeSampleWithALostInputNotPresentAndKeepItsBytes() throws IOException
    {
        // (frame, flag row, freq index, block) cells lost; the window is [30·T + 100, 30·T + 1600).
        final int[][] lost30 = {{50, 1, 0}, {51, 1, 1}, {499, 1, 0}, {499, 1, 1}, {511, 1, 1}, {49, 1, 0}};
        final int[][] lost31 = {{0, 1, 0}, {287, 1, 1}, {288, 1, 0}, {100, 2, 0}, {101, 2, 0}, {101, 2, 1}};
        final Set<Long> lost = new HashSet<>();
        for (final int[] c : lost30)
        {
            lost.add(cell(30, c[0], c[1], c[2]));
        }
        for (final int[] c : lost31)
        {
            lost.add(cell(31, c[0], c[1], c[2]));
        }
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 30);
            h.feeder.feed(30, 0, lost30);
            h.feeder.feed(31, 0, lost31);
            h.feeder.feedRange(32, 8);
            h.readout.doWork();
            final long start = 30L * T + 100;
            final int length = 1500;
            assertEquals(202, h.post(ReadoutHarness.trigger(1, start, length, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(1);
            assertEquals("done", status.get("status").asText(), "lost packets alone keep a dump full: " + status);
            final JsonNode manifest = Json.parse(Files.readString(archive.resolve("test/astro_1/event.json")));
            for (int f = 0; f < ReadoutHarness.FREQ_IDS.length; f++)
            {
                final int freqId = ReadoutHarness.FREQ_IDS[f];
                final Path file = archive.resolve("test/astro_1/baseband_1_" + freqId + ".h5");
                final BasebandWindow dump = BasebandWindowFile.read(file);
                assertEquals(start, dump.firstSeq());
                assertEquals(length, dump.numTimes());
                int notPresent = 0;
                for (int t = 0; t < length; t++)
                {
                    final long sample = start + t;
                    final long frame = sample / T;
                    final int row = (int)(sample % T) / 2;
                    boolean rowLost = false;
                    for (int i = 0; i < 16; i++)
                    {
                        final boolean cellLost = lost.contains(cell(frame, row, f, i / INPUTS_PER_BLOCK));
                        rowLost |= cellLost;
                        final byte want = cellLost ? PacketHeaderDescriptor.FILL : SIGNAL.sample(sample, freqId, i);
                        assertEquals(want, dump.samples()[t][i], "freq_id " + freqId + " sample " + sample +
                            " input " + i);
                    }
                    assertEquals(!rowLost, dump.present()[t], "sample_present of freq_id " + freqId + " sample " +
                        sample);
                    notPresent += rowLost ? 1 : 0;
                }
                final long expectedLost = new long[] {0, 6 * 2, 2 * 2, 0}[f];
                assertEquals(expectedLost, notPresent, "freq_id " + freqId);
                assertEquals(expectedLost, status.at("/freqs/" + freqId + "/lost_samples").asLong());
                assertEquals(0, status.at("/freqs/" + freqId + "/missing_samples").asLong());
                assertEquals(expectedLost, manifest.at("/freqs/" + freqId + "/lost_samples").asLong());
                try (HdfFile hdf = new HdfFile(file))
                {
                    assertEquals(expectedLost, BasebandDumpTest.number(hdf, "n_lost_samples"));
                    assertEquals("full", hdf.getAttribute("status").getData());
                }
                assertTrue(BasebandVerifier.verify(dump, SIGNAL, 5).passed(), "the verifier accepts 0x88 rows");
            }
        }
    }

    @Test
    void shouldLeaveARealignedStreamOutOfTheDumpAndEndItPartialForTheReset() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            // From frame 31 stream 1 (block 1) is re-aligned by 4 frames: its F-engine reset, the others did not.
            h.feeder.feedRange(0, 31);
            for (long frame = 31; frame < 40; frame++)
            {
                h.feeder.feed(frame, 0, new long[] {0, 4L * T});
            }
            h.readout.doWork();
            final long start = 31L * T - 300;
            final int length = 600;
            assertEquals(202, h.post(ReadoutHarness.trigger(2, start, length, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(2);
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                final JsonNode freq = status.at("/freqs/" + freqId);
                assertEquals("partial", freq.get("status").asText(), status.toString());
                assertTrue(freq.get("reason").asText().contains("fengine_reset"), freq.toString());
                assertTrue(freq.get("reason").asText().contains("re-aligned"), freq.toString());
                assertEquals(300, freq.get("lost_samples").asLong());
                assertEquals(0, freq.get("missing_samples").asLong());
                final Path file = archive.resolve("test/astro_2/baseband_2_" + freqId + ".h5");
                final BasebandWindow dump = BasebandWindowFile.read(file);
                for (int t = 0; t < length; t++)
                {
                    final long sample = start + t;
                    final boolean realigned = sample >= 31L * T;
                    assertEquals(!realigned, dump.present()[t], "sample " + sample);
                    for (int i = 0; i < 16; i++)
                    {
                        final byte want = realigned && i >= INPUTS_PER_BLOCK ? 0 : SIGNAL.sample(sample, freqId, i);
                        assertEquals(want, dump.samples()[t][i], "freq_id " + freqId + " sample " + sample +
                            " input " + i);
                    }
                }
                try (HdfFile hdf = new HdfFile(file))
                {
                    assertEquals(300L, BasebandDumpTest.number(hdf, "n_lost_samples"));
                    assertEquals("partial", hdf.getAttribute("status").getData());
                }
                assertTrue(BasebandVerifier.verify(dump, SIGNAL, 5).passed());
            }
        }
    }

    @Test
    void shouldTreatSamplesWhoseEveryStreamIsRealignedAsNeverCaptured() throws IOException
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            // Both streams move together (one F-engine restarting its counter): one shared offset, still not the
            // timeline the window was planned on.
            h.feeder.feedRange(0, 31);
            for (long frame = 31; frame < 40; frame++)
            {
                h.feeder.feed(frame, 0, new long[] {-29L * T, -29L * T});
            }
            h.readout.doWork();
            final long start = 31L * T - 200;
            final int length = 1000;
            assertEquals(202, h.post(ReadoutHarness.trigger(3, start, length, 0, 0, 400)).status());
            final JsonNode status = h.runUntilEnded(3);
            final JsonNode freq = status.at("/freqs/600");
            assertEquals("partial", freq.get("status").asText(), status.toString());
            assertTrue(freq.get("reason").asText().contains("fengine_reset"), freq.toString());
            assertEquals(0, freq.get("lost_samples").asLong());
            assertEquals(800, freq.get("missing_samples").asLong());
            assertEquals(start, freq.at("/captured/0").asLong());
            assertEquals(31L * T, freq.at("/captured/1").asLong());
            final BasebandWindow dump = BasebandWindowFile.read(archive.resolve("test/astro_3/baseband_3_600.h5"));
            for (int t = 0; t < length; t++)
            {
                final long sample = start + t;
                final boolean realigned = sample >= 31L * T;
                assertEquals(!realigned, dump.present()[t], "sample " + sample);
                for (int i = 0; i < 16; i++)
                {
                    assertEquals(realigned ? 0 : SIGNAL.sample(sample, 600, i), dump.samples()[t][i]);
                }
            }
        }
    }

    private static long cell(final long frame, final int row, final int freq, final int block)
    {
        return ((frame * 1024 + row) * 8 + freq) * 8 + block;
    }
}
