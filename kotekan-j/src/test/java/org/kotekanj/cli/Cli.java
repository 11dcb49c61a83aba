package org.kotekanj.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.kotekanj.log.Log;

/** Runs the {@code kotekan-j} command line in-process, capturing what it prints (stdout, stderr and the log). */
final class Cli
{
    /** What one command did. */
    record Result(int exitCode, String out, String err)
    {
    }

    private Cli()
    {
    }

    static synchronized Result run(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(errStream);
        Log.redirect(errStream);
        try
        {
            final int exitCode = Main.commandLine().execute(args);
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
            Log.redirect(oldErr);
        }
    }
}
