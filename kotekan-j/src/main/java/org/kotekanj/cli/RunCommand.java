package org.kotekanj.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.log.Log;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kotekan-j run CONFIG}: check, then run a pipeline until it ends, fails or is signalled. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a pipeline config. Exit 0 when it ends or is stopped by SIGTERM/SIGINT (after draining), " +
        "1 for config errors (all listed), 2 if a stage fails, 3 if it cannot start.")
public final class RunCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG", description = "pipeline YAML file")
    Path config;

    @Mixin
    ConfigFlags configFlags;

    @Mixin
    ServiceFlags serviceFlags;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "drain and stop after this many seconds")
    Double duration;

    @Override
    public Integer call()
    {
        final ConfigErrors errors = new ConfigErrors();
        final Path overlay = configFlags.chosenOverlay(config);
        if (overlay != null)
        {
            Log.of("kotekan-j").info("node overlay " + overlay + " over " + config);
        }
        final ConfigNode root = configFlags.load(config, overlay, errors);
        return PipelineCommand.run(root, errors, serviceFlags,
            duration == null ? null : Duration.ofMillis((long)(duration * 1000)), System.out, System.err);
    }
}
