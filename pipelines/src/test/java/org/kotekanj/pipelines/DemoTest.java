package org.kotekanj.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tools/kotekan-j demo}, run in-process: the README's first command runs simulator, receiver, CPU correlator
 * and writer, and every file it writes agrees with the simulator's expected visibilities.
 */
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
    void shouldRunTheDemoAndVerifyEveryVisibilityFile() throws Exception
    {
        final Path vis = dir.resolve("vis");
        assertEquals(0, run("demo", "--no-rest", "--counters-dir", dir.toString(), "--set",
            "writer/output_dir=" + vis), err + out);
        assertTrue(out.startsWith("pipeline finished\n"), out);
        // 36864 packets per link of S = 2 samples: 9 integrations of 8192 samples, 4 per file, none lost.
        assertTrue(out.contains("3 visibility files in " + vis.toAbsolutePath()), out);
        final Matcher verified = Pattern.compile("verify: (\\d+) of (\\d+) files agree").matcher(out);
        assertTrue(verified.find(), out);
        assertEquals("3", verified.group(1), out);
        assertEquals(3, Pattern.compile("visibilities: OK - [1-9]\\d* checked, 0 different, 0 skipped").matcher(out)
            .results().count(), out);
        final Matcher integrations = Pattern.compile("\\[/correlator] (\\d+) integrations, 0 lost samples")
            .matcher(err);
        assertTrue(integrations.find(), err);
        assertEquals("9", integrations.group(1));
        try (var files = Files.list(vis))
        {
            assertEquals(3, files.filter(f -> f.getFileName().toString().matches("vis_\\d+\\.h5")).count());
        }
    }

    @Test
    void shouldPrintTheShippedDemoConfig() throws Exception
    {
        assertEquals(0, run("demo", "--print-config"));
        assertEquals(Files.readString(Path.of("demo.yaml")), out);
    }
}
