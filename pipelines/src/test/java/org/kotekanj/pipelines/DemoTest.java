package org.kotekanj.pipelines;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.cli.Main;
import org.kotekanj.log.Log;

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
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(errStream);
        Log.redirect(errStream);
        try
        {
            return Main.commandLine().execute(args);
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
            Log.redirect(oldErr);
            out = outBytes.toString(StandardCharsets.UTF_8);
            err = errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldRunTheDemoAndFindEveryFrameGood()
    {
        assertEquals(0, run("demo", "--no-rest", "--counters-dir", dir.toString()), err);
        assertEquals("pipeline finished\n", out);
        assertTrue(err.contains("[/checker] checked 4000 frames: 4000 good, 0 bad"), err);
    }

    @Test
    void shouldPrintTheShippedDemoConfig() throws Exception
    {
        assertEquals(0, run("demo", "--print-config"));
        assertEquals(Files.readString(Path.of("demo.yaml")), out);
    }
}
