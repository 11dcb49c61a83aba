package org.kotekanj.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check} and {@code run} with node overlays: picked by host name, named with --overlay, each one checked. */
class NodeOverlayCommandTest
{
    private static final String SITE = """
        num_frames: 4
        frame_size: 64
        source: {kotekan_stage: SequenceSource, out_buf: buf}
        sink: {kotekan_stage: SequenceSink, in_buf: buf}
        buf: {kotekan_buffer: standard}
        """;

    @TempDir
    Path dir;

    private Path site;

    @BeforeEach
    void writeSite() throws Exception
    {
        site = dir.resolve("site.yaml");
        Files.writeString(site, SITE);
    }

    private Path overlay(final String name, final String yaml) throws Exception
    {
        final Path file = dir.resolve("overlays").resolve(name + ".yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void shouldCheckTheSiteFileAloneAndWithEachOverlay() throws Exception
    {
        final Path a = overlay("node-a", "frame_size: 128\nsink: {cpu_affinity: [0]}\n");
        final Path b = overlay("node-b", "num_frames: 8\n");
        final Cli.Result result = Cli.run("check", site.toString());
        assertEquals(0, result.exitCode(), result.out());
        assertEquals(site + ": OK\n" + site + " with " + a + ": OK\n" + site + " with " + b + ": OK\n", result.out());
    }

    @Test
    void shouldFailTheCheckOfABadOverlayAndSayWhichOne() throws Exception
    {
        final Path good = overlay("good", "num_frames: 8\n");
        final Path bad = overlay("bad", "sink:\n  cpu_affinity: [4096]\nsinks:\n  delay_us: 1\n");
        final Cli.Result result = Cli.run("check", site.toString());
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().startsWith(site + ": OK\n" + site + " with " + bad + ":\n"), result.out());
        assertTrue(result.out().contains(bad + ":3: /sinks: the site file has no node /sinks (an overlay only sets " +
            "values of existing nodes)\n"), result.out());
        assertTrue(result.out().endsWith("1 error; not started\n" + site + " with " + good + ": OK\n"), result.out());
        final Cli.Result cpu = Cli.run("check", site.toString(), "--overlay", overlay("cpu", "sink:\n  cpu_affinity: [4096]\n").toString());
        assertEquals(1, cpu.exitCode(), cpu.out());
        assertTrue(cpu.out().contains("/sink/cpu_affinity: CPU 4096 does not exist"), cpu.out());
    }

    @Test
    void shouldRefuseAnOverlayThatChangesWhatANodeIs() throws Exception
    {
        final Path overlay = overlay("n", "sink: {kotekan_stage: SequenceSource}\n");
        final Cli.Result result = Cli.run("check", site.toString(), "--overlay", overlay.toString());
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().contains(overlay + ":1: /sink/kotekan_stage: an overlay sets values; it cannot " +
            "declare or change a node's kind (kotekan_stage)"), result.out());
    }

    @Test
    void shouldPickTheOverlayOfThisNodeAndApplySetAfterIt() throws Exception
    {
        overlay("node-a", "frame_size: 4\n");   // too small for SequenceSource: the overlay is applied
        final Cli.Result picked = Cli.run("check", site.toString(), "--node-name", "node-a");
        assertEquals(1, picked.exitCode(), picked.out());
        final Cli.Result fixed = Cli.run("check", site.toString(), "--node-name", "node-a", "--set", "frame_size=64");
        assertEquals(0, fixed.exitCode(), fixed.out());
        final Cli.Result other = Cli.run("check", site.toString(), "--node-name", "node-b");
        assertEquals(site + ": OK\n", other.out());
        final Cli.Result none = Cli.run("check", site.toString(), "--no-overlay");
        assertEquals(site + ": OK\n", none.out());
    }

    @Test
    void shouldPreferTheSitesOwnOverlayFolder() throws Exception
    {
        overlay("n1", "frame_size: 4\n");
        final Path own = dir.resolve("overlays/site/n1.yaml");
        Files.createDirectories(own.getParent());
        Files.writeString(own, "num_frames: 2\n");
        final Cli.Result result = Cli.run("check", site.toString());
        assertEquals(site + ": OK\n" + site + " with " + own + ": OK\n", result.out());
    }

    @Test
    void shouldRunWithTheNamedOverlay() throws Exception
    {
        final Path overlay = overlay("n", "source: {num_frames_to_generate: 5}\n");
        final Cli.Result result = Cli.run("run", site.toString(), "--overlay", overlay.toString(), "--no-rest",
            "--counters-dir", dir.toString());
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("node overlay " + overlay + " over " + site), result.err());
    }
}
