package org.kotekanj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.stage.StageRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kotekan-j check CONFIG}: validate only, listing every error with its file, line and path. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate a pipeline config without running it; exit 0 if it can run, 1 with every error listed.")
public final class CheckCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG", description = "pipeline YAML file")
    Path config;

    @Mixin
    ConfigFlags configFlags;

    @Override
    public Integer call()
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = configFlags.load(config, errors);
        if (!PipelineCommand.check(root, errors, StageRegistry.discover(), System.out))
        {
            return PipelineCommand.EXIT_CONFIG;
        }
        System.out.println(config + ": OK");
        return PipelineCommand.EXIT_OK;
    }
}
