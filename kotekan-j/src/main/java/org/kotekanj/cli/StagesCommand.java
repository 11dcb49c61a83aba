package org.kotekanj.cli;

import java.util.concurrent.Callable;

import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stage.StageType;
import picocli.CommandLine.Command;

/** {@code kotekan-j stages}: the stage types a config can name. */
@Command(name = "stages", mixinStandardHelpOptions = true, description = "List the stage types a config can name.")
public final class StagesCommand implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        for (final StageType type : StageRegistry.discover().all())
        {
            System.out.printf("%-28s %s%n", type.name(), type.description());
        }
        return 0;
    }
}
