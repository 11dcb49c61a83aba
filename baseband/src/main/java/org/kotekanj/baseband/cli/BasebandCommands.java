package org.kotekanj.baseband.cli;

import java.util.List;

import org.kotekanj.cli.CommandProvider;

/** The baseband sub-commands of {@code kotekan-j}: {@code trigger} and {@code waterfall}. */
public final class BasebandCommands implements CommandProvider
{
    @Override
    public List<Object> commands()
    {
        return List.of(new TriggerCommand(), new WaterfallCommand());
    }
}
