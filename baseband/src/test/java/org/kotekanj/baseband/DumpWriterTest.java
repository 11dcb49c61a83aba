package org.kotekanj.baseband;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's two ways to the SHA-256 of a file (samples hashed from staging, or the whole file read back), and a
 * streamed file's samples written while its window is still being copied.
 */
class DumpWriterTest
{
    @TempDir
    Path archive;

    @Test
    void shouldHashAFileKeptInStagingFromMemoryWithTheDigestOfTheWholeFile() throws Exception
    {
        final Set<String> paths = dump(s -> s, 3000);
        assertEquals(Set.of("staged"), paths);
    }

    @Test
    void shouldHashAFileTooBigToKeepInStagingByReadingItBack() throws Exception
    {
        final Set<String> paths = dump(staging(512 << 10, 64 << 10), 20_000);
        assertEquals(Set.of("reread"), paths);
    }

    @Test
    void shouldKeepTheDigestRightWhenKeptChunksOutgrowHalfOfStaging() throws Exception
    {
        // Four files of about 50 KB each may be kept, in 256 KiB of staging: some must let their chunks go.
        final Set<String> paths = dump(staging(256 << 10, 16 << 10), 3000);
        assertTrue(Set.of("staged", "reread").containsAll(paths), paths.toString());
    }

    @Test
    void shouldReportAStagedFileDoneOnceInPlaceBeforeItsHashIsKnownAndWriteTheManifestAfterTheHashes() throws Exception
    {
        final CountDownLatch hashes = new CountDownLatch(1);
        try (ReadoutHarness h = new ReadoutHarness(archive, 96))
        {
            h.readout.writer().hashGate(() -> awaitQuietly(hashes));
            try
            {
                h.feeder.feedRange(0, 96);
                h.readout.doWork();
                assertEquals(202, h.post(ReadoutHarness.trigger(6, 40_000, 3000, 1.0, 0.0, 400.0)).status());
                h.runUntil(() -> "done".equals(h.get("6").json().get("status").asText()));
                final Path dir = archive.resolve("test/astro_6");
                final JsonNode status = h.get("6").json();
                for (final int freqId : ReadoutHarness.FREQ_IDS)
                {
                    assertEquals("done", status.at("/freqs/" + freqId + "/status").asText(), status.toString());
                    assertTrue(Files.exists(dir.resolve("baseband_6_" + freqId + ".h5")), "in place: " + freqId);
                }
                assertFalse(Files.exists(dir.resolve(EventManifest.NAME)), "event.json waits for the hashes");
                assertTrue(status.get("manifest_written").isNull(), status.toString());
            }
            finally
            {
                hashes.countDown();
            }
            final JsonNode status = h.runUntilEnded(6);
            assertFalse(status.get("manifest_written").isNull(), status.toString());
            final Path dir = archive.resolve("test/astro_6");
            final JsonNode manifest = Json.parse(Files.readString(dir.resolve(EventManifest.NAME)));
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                final JsonNode entry = manifest.get("freqs").get(Integer.toString(freqId));
                assertEquals("staged", entry.at("/phases/path").asText());
                assertEquals(BasebandDumpTest.sha256(dir.resolve("baseband_6_" + freqId + ".h5")),
                    entry.get("sha256").asText(), "freq_id " + freqId);
            }
        }
    }

    @Test
    void shouldWriteAStreamedFilesFirstChunksWhileTheRestIsStillBeingCopied() throws Exception
    {
        // One chunk copied per step of the stage, and no further step until the first file's disk write has begun:
        // its write must begin before its window is all copied. It did not: a window that fitted staging was kept
        // until its last chunk (or, when the copier went quiet, written by the writer thread the re-read way).
        final UnaryOperator<ReadoutSettings> oneChunkPerStep = s -> new ReadoutSettings(s.archiveRoot(),
            s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(), s.maxQueuedEvents(), s.maxEventsKept(), s.stagingBytes(),
            s.chunkBytes(), 1, s.frame0Nanos());
        try (ReadoutHarness h = new ReadoutHarness(archive, 96, FreeSpace.fileSystem(), oneChunkPerStep))
        {
            h.feeder.feedRange(0, 96);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(7, 40_000, 40_000, 1.0, 0.0, 400.0)).status());
            h.readout.doWork();
            final String first = Integer.toString(ReadoutHarness.FREQ_IDS[0]);
            final long total = h.get("7").json().get("freqs").get(first).get("total").asLong();
            assertTrue(total > 8 * (64 << 10), "a window of many 64 KiB chunks: " + total);
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (h.get("7").json().get("freqs").get(first).get("remaining").asLong() == total)
            {
                assertTrue(System.nanoTime() < deadline, "no sample written while the window was being copied");
                Thread.sleep(1);
            }
            final JsonNode manifest = checkDoneFiles(h, 7);
            final JsonNode timeline = manifest.at("/freqs/" + first + "/phases/ms_after_trigger");
            assertTrue(timeline.has("write_began") && timeline.get("write_began").asDouble() <
                timeline.get("copied").asDouble(), "the disk began before the window was copied: " + timeline);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(20, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("hash gate never opened");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static UnaryOperator<ReadoutSettings> staging(final long stagingBytes, final long chunkBytes)
    {
        return s -> new ReadoutSettings(s.archiveRoot(), s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(),
            s.maxQueuedEvents(), s.maxEventsKept(), stagingBytes, chunkBytes, s.copyBudgetBytes(), s.frame0Nanos());
    }

    /** Dumps {@code samples} per frequency; checks every file and its digest; returns the hash paths taken. */
    private Set<String> dump(final UnaryOperator<ReadoutSettings> tweak, final long samples) throws Exception
    {
        final Set<String> paths = new HashSet<>();
        try (ReadoutHarness h = new ReadoutHarness(archive, 96, FreeSpace.fileSystem(), tweak))
        {
            h.feeder.feedRange(0, 96);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(5, 40_000, samples, 1.0, 0.0, 400.0)).status());
            final JsonNode manifest = checkDoneFiles(h, 5);
            for (final int freqId : ReadoutHarness.FREQ_IDS)
            {
                paths.add(manifest.get("freqs").get(Integer.toString(freqId)).at("/phases/path").asText());
            }
        }
        return paths;
    }

    /**
     * Runs event {@code id} until its manifest is written; checks it ended done, and every file's bytes and its
     * SHA-256 in the manifest; returns the manifest.
     */
    private JsonNode checkDoneFiles(final ReadoutHarness h, final long id) throws Exception
    {
        final JsonNode status = h.runUntilEnded(id);
        assertEquals("done", status.get("status").asText(), status.toString());
        final Path dir = archive.resolve("test/astro_" + id);
        final JsonNode manifest = Json.parse(Files.readString(dir.resolve(EventManifest.NAME)));
        for (final int freqId : ReadoutHarness.FREQ_IDS)
        {
            final Path file = dir.resolve("baseband_" + id + "_" + freqId + ".h5");
            final JsonNode entry = manifest.get("freqs").get(Integer.toString(freqId));
            assertEquals(BasebandDumpTest.sha256(file), entry.get("sha256").asText(), "freq_id " + freqId);
            assertTrue(BasebandVerifier.verify(BasebandWindowFile.read(file), new TplusESignal(), 5).passed());
        }
        return manifest;
    }
}
