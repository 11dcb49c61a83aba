package org.kotekanj.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tools/kotekan-j demo}, run in-process: the README's first command works and checks every frame. */
class DemoTest
{
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(final String... args)
    {
        final CommandRun run = CommandRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    @Test
    void shouldRunTheDemoAndFindEveryFrameGood()
    {
        assertEquals(0, run("demo", "--no-rest", "--counters-dir", dir.toString()), err);
        assertEquals("pipeline finished\n", out);
        // The simulator sends 4 s of 4 streams at 5% of real time: 39,063 packet times per stream (S = 2 samples),
        // i.e. 38 frames of 2048 samples, a few packets lost, reordered and duplicated on purpose.
        final Matcher checked = Pattern.compile("\\[/checker] checked (\\d+) frames: (\\d+) good, 0 bad").matcher(err);
        assertTrue(checked.find(), err);
        assertEquals(checked.group(1), checked.group(2));
        assertTrue(Integer.parseInt(checked.group(1)) >= 38, err);
        final Matcher received = Pattern.compile("\\[/receiver] received (\\d+) packets").matcher(err);
        assertTrue(received.find(), err);
        assertTrue(Long.parseLong(received.group(1)) > 150_000, err);
    }

    @Test
    void shouldPrintTheShippedDemoConfig() throws Exception
    {
        assertEquals(0, run("demo", "--print-config"));
        assertEquals(Files.readString(Path.of("demo.yaml")), out);
    }
}
