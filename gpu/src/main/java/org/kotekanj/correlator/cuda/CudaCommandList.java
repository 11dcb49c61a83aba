package org.kotekanj.correlator.cuda;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The ordered GPU work declared in YAML ({@code commands: [copy_in, unpack, correlate, copy_out]}), checked against
 * what each command needs: every command once, and each after the commands whose output it reads (unpack reads what
 * copy_in brought, correlate what unpack wrote, copy_out what correlate summed). The backend issues them in this
 * order and reports their timings under these names.
 */
public record CudaCommandList(List<CudaCommand> commands)
{
    /** What a config without {@code commands:} gets. */
    public static final List<String> DEFAULT_NAMES = List.of("copy_in", "unpack", "correlate", "copy_out");

    public CudaCommandList
    {
        commands = List.copyOf(commands);
    }

    /**
     * Parses and checks a list of names.
     *
     * @param problems receives one sentence per problem; the result is {@code null} if there was any.
     */
    public static CudaCommandList parse(final List<String> names, final List<String> problems)
    {
        final List<CudaCommand> commands = new ArrayList<>();
        final EnumSet<CudaCommand> seen = EnumSet.noneOf(CudaCommand.class);
        final int before = problems.size();
        for (final String name : names)
        {
            final CudaCommand command = CudaCommand.byName(name);
            if (command == null)
            {
                problems.add("unknown GPU command '" + name + "' (known: " + String.join(", ", DEFAULT_NAMES) + ")");
                continue;
            }
            if (!seen.add(command))
            {
                problems.add("GPU command '" + name + "' is listed twice");
                continue;
            }
            final CudaCommand needs = prerequisite(command);
            if (needs != null && !seen.contains(needs))
            {
                problems.add("GPU command '" + name + "' must come after '" + needs.configName() + "', whose output it reads");
            }
            commands.add(command);
        }
        for (final CudaCommand command : CudaCommand.values())
        {
            if (!seen.contains(command))
            {
                problems.add("GPU command '" + command.configName() + "' is missing: the correlator needs all of " +
                    String.join(", ", DEFAULT_NAMES));
            }
        }
        return problems.size() == before ? new CudaCommandList(commands) : null;
    }

    private static CudaCommand prerequisite(final CudaCommand command)
    {
        return switch (command)
        {
            case COPY_IN -> null;
            case UNPACK -> CudaCommand.COPY_IN;
            case CORRELATE -> CudaCommand.UNPACK;
            case COPY_OUT -> CudaCommand.CORRELATE;
        };
    }

    /** The YAML names, in order. */
    public List<String> names()
    {
        return commands.stream().map(CudaCommand::configName).toList();
    }
}
