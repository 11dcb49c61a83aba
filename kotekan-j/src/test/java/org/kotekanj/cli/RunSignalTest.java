package org.kotekanj.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.status.CountersFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kotekan-j run} as operators run it, in its own process: {@code kotekan-j stat} reads its counters from
 * outside while it runs, and SIGTERM drains it (every frame produced is consumed) and exits 0.
 */
class RunSignalTest
{
    @TempDir
    Path dir;

    @Test
    void shouldServeCountersToStatAndDrainAndExitZeroOnSigterm() throws Exception
    {
        final Path config = dir.resolve("p.yaml");
        Files.writeString(config, """
            num_frames: 8
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 200}
            buf: {kotekan_buffer: standard}
            """);
        final Path counters = dir.resolve("counters");
        try (KotekanProcess run = KotekanProcess.start(dir.resolve("run.log"), "run", config.toString(), "--no-rest",
            "--counters-dir", counters.toString(), "--instance", "sigterm-test"))
        {
            final String line = awaitSinkProgress(run, counters);
            assertTrue(line.matches("kotekan_stage_work_cycles_total\\{stage_name=\"/sink\"} +[1-9][0-9]*"), line);

            run.process().destroy();
            assertEquals(0, run.waitFor(30), run.output());
            final String output = run.output();
            assertTrue(output.contains("SIGTERM: draining"), output);
            assertTrue(output.contains("pipeline finished"), output);
            final long produced = number(output, "\\[/source] produced (\\d+) frames");
            assertTrue(produced > 0, output);
            assertTrue(output.contains("[/sink] consumed " + produced + " frames, 0 out of sequence"), output);
            assertTrue(!Files.exists(counters.resolve("sigterm-test.counters")), "the counters file is removed");
        }
    }

    /** Polls {@code kotekan-j stat} (in this JVM) until the child's sink has done work; returns that line. */
    private static String awaitSinkProgress(final KotekanProcess run, final Path counters) throws Exception
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (!run.process().isAlive())
            {
                fail("kotekan-j exited early:\n" + run.output());
            }
            if (!CountersFile.findLive(counters).isEmpty())
            {
                final Cli.Result stat = Cli.run("stat", "--counters-dir", counters.toString(), "--instance",
                    "sigterm-test", "--filter", "work_cycles_total{stage_name=\"/sink\"}");
                assertEquals(0, stat.exitCode(), stat.err());
                assertTrue(stat.out().startsWith("sigterm-test (pid " + run.process().pid() + ", running)"),
                    stat.out());
                final String line = stat.out().lines().skip(1).findFirst().orElse("").strip();
                if (!line.isEmpty() && !line.endsWith(" 0"))
                {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the sink never did any work:\n" + run.output());
    }

    private static long number(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find())
        {
            fail("no match for " + regex + " in:\n" + text);
        }
        return Long.parseLong(matcher.group(1));
    }
}
