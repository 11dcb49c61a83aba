package org.kotekanj.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckCommandTest
{
    @TempDir
    Path dir;

    private String write(final String name, final String yaml) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    @Test
    void shouldListEveryErrorWithFileLineAndPathAndExitOne() throws Exception
    {
        final String file = write("bad.yaml", """
            num_frames: 4
            frame_size: 64
            source:
              kotekan_stage: SequenceSorce
              out_buf: buf
            sink:
              kotekan_stage: SequenceSink
              in_buf: buf
              cpu_affinity: [4096]
            buf:
              kotekan_buffer: standard
              hugepages: never
            """);
        final Cli.Result result = Cli.run("check", file);
        assertEquals(1, result.exitCode());
        assertEquals(String.join("\n",
            file + ":4: /source/kotekan_stage: unknown stage type 'SequenceSorce'; did you mean SequenceSource? " +
                "(kotekan-j stages lists them)",
            file + ":9: /sink/cpu_affinity: CPU 4096 does not exist (online: " +
                org.kotekanj.nativeio.CpuTopology.read().describeCpus() + ")",
            file + ":10: /buf: buffer buf has no producer: no stage names it as an output",
            file + ":12: /buf/hugepages: expected one of auto, required, off, found string \"never\"",
            "4 errors; not started", ""), result.out());
    }

    @Test
    void shouldAcceptAValidConfig() throws Exception
    {
        final String file = write("good.yaml", """
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """);
        final Cli.Result result = Cli.run("check", file);
        assertEquals(0, result.exitCode(), result.out());
        assertEquals(file + ": OK\n", result.out());
    }

    @Test
    void shouldApplySetOverridesBeforeChecking() throws Exception
    {
        final String file = write("small.yaml", """
            num_frames: 4
            frame_size: 4
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """);
        assertEquals(1, Cli.run("check", file).exitCode());
        final Cli.Result fixed = Cli.run("check", file, "--set", "frame_size=8 * 8", "--set", "sink.delay_us=0");
        assertEquals(0, fixed.exitCode(), fixed.out());
        final Cli.Result wrong = Cli.run("check", file, "--set", "nowhere/x=1");
        assertEquals(1, wrong.exitCode());
        assertEquals("--set: nowhere/x: no such node in the config\n1 error; not started\n", wrong.out());
    }

    @Test
    void shouldReportAMissingFile()
    {
        final String file = dir.resolve("absent.yaml").toString();
        final Cli.Result result = Cli.run("check", file);
        assertEquals(1, result.exitCode());
        assertEquals(file + ": /: no such config file\n1 error; not started\n", result.out());
    }

    @Test
    void shouldFailAnAliasBombAtOnceWithFileAndLine() throws Exception
    {
        final String file = write("bomb.yaml", org.kotekanj.config.HostileConfigs.LIST_ALIAS_BOMB);
        // 69 s into an OutOfMemoryError before the expansion bound; the deadline only keeps a failure short.
        final Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("check", file));
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().startsWith(file + ":"), result.out());
        assertTrue(result.out().contains("the config expands to more than 100000 values through its aliases"),
            result.out());
        assertTrue(result.out().endsWith("1 error; not started\n"), result.out());
    }

    @Test
    void shouldSayADirectoryIsNotAConfigFile() throws Exception
    {
        final Cli.Result result = Cli.run("check", dir.toString());
        assertEquals(1, result.exitCode());
        assertEquals(dir + ": /: is a directory, not a config file\n1 error; not started\n", result.out());
        final Cli.Result missing = Cli.run("check", dir.resolve("none.yaml").toString());
        assertEquals(dir.resolve("none.yaml") + ": /: no such config file\n1 error; not started\n", missing.out());
    }

    @Test
    void shouldFailHugepagesRequiredWithoutEnoughReservedPagesAsRunWould() throws Exception
    {
        final long free = org.kotekanj.nativeio.HugePageStatus.freePages();
        assertTrue(free >= 0, "this machine reports HugePages_Free in /proc/meminfo");
        // One frame one page larger than the free pool: never fits, whatever this machine has reserved.
        final String file = write("huge.yaml", """
            num_frames: 1
            frame_size: %d
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf:
              kotekan_buffer: standard
              hugepages: required
            """.formatted((free + 1) * (2L << 20)));
        final Cli.Result result = Cli.run("check", file);
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().startsWith(file + ":7: /buf/hugepages: hugepages: required needs " + (free + 1) +
            " free 2 MiB pages (HugePages_Total="), result.out());
        assertTrue(result.out().contains("; raise /proc/sys/vm/nr_hugepages or use hugepages: auto)\n"), result.out());
        // run says the same when the mapping fails (its message is checked in LibcTest).
        final Cli.Result run = Cli.run("run", file, "--no-rest", "--counters-dir", dir.resolve("c").toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("hugepages: required needs " + (free + 1) + " free 2 MiB pages"), run.err());
    }
}
