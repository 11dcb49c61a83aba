package org.kotekanj.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.stage.StageRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kotekan-j check CONFIG}: validate only, listing every error with its file, line and path. A site file is
 * checked alone and with each of its node overlays, so one node's bad overlay is found before that node starts.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate a pipeline config without running it, alone and with each node overlay " +
        "(overlays/<hostname>.yaml beside it); exit 0 if every one can run, 1 with every error listed.")
public final class CheckCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG", description = "pipeline YAML file")
    Path config;

    @Mixin
    ConfigFlags configFlags;

    @Override
    public Integer call()
    {
        final StageRegistry stages = StageRegistry.discover();
        final List<Path> overlays = new ArrayList<>();
        if (configFlags.overlayNamed())
        {
            overlays.add(configFlags.chosenOverlay(config));
        }
        else
        {
            overlays.add(null);
            overlays.addAll(NodeOverlays.all(config));
        }
        int exit = PipelineCommand.EXIT_OK;
        for (final Path overlay : overlays)
        {
            final ConfigErrors errors = new ConfigErrors();
            final ConfigNode root = configFlags.load(config, overlay, errors);
            final ByteArrayOutputStream report = new ByteArrayOutputStream();
            if (PipelineCommand.check(root, errors, stages, new PrintStream(report, true, StandardCharsets.UTF_8)))
            {
                System.out.println(overlay == null ? config + ": OK" : config + " with " + overlay + ": OK");
                continue;
            }
            if (overlay != null)
            {
                System.out.println(config + " with " + overlay + ":");
            }
            System.out.print(report.toString(StandardCharsets.UTF_8));
            exit = PipelineCommand.EXIT_CONFIG;
        }
        return exit;
    }
}
