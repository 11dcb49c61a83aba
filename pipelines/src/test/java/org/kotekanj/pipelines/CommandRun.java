package org.kotekanj.pipelines;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.kotekanj.cli.Main;
import org.kotekanj.log.Log;

/** One {@code kotekan-j} command run in this JVM, with what it printed on stdout and stderr (logs included). */
record CommandRun(int exitCode, String out, String err)
{
    static synchronized CommandRun of(final String... args)
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
            final int code = Main.commandLine().execute(args);
            return new CommandRun(code, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
            Log.redirect(oldErr);
        }
    }
}
