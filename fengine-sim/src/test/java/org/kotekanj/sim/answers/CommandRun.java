package org.kotekanj.sim.answers;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.kotekanj.cli.Main;
import picocli.CommandLine;

/** Runs {@code kotekan-j} sub-commands in-process and keeps what they print. */
record CommandRun(int exitCode, String out, String err)
{
    static CommandRun of(final String... args)
    {
        final CommandLine commandLine = Main.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exit = commandLine.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\nout:\n" + out + "\nerr:\n" + err;
    }
}
