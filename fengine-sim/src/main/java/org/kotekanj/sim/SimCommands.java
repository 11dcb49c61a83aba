package org.kotekanj.sim;

import java.util.List;

import org.kotekanj.cli.CommandProvider;
import org.kotekanj.sim.answers.ExpectedCommand;
import org.kotekanj.sim.answers.VerifyCommand;

/** The simulator's sub-commands of {@code kotekan-j}. */
public final class SimCommands implements CommandProvider
{
    @Override
    public List<Object> commands()
    {
        return List.of(new SimCommand(), new ExpectedCommand(), new VerifyCommand());
    }
}
