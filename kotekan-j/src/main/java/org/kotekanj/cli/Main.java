package org.kotekanj.cli;

import java.util.ServiceLoader;

import org.kotekanj.log.LibraryLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kotekan-j} command line; {@code tools/kotekan-j} runs it with the JVM flags the project needs. */
@Command(name = "kotekan-j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Correlator ingest service for radio telescopes.",
    subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class, StatCommand.class, DaemonCommand.class,
        StagesCommand.class})
public final class Main implements Runnable
{
    static
    {
        LibraryLogging.configure();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every sub-command on the classpath, for {@link #main} and tests. */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Main());
        for (final CommandProvider provider : ServiceLoader.load(CommandProvider.class))
        {
            for (final Object command : provider.commands())
            {
                commandLine.addSubcommand(command);
            }
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
