package org.kotekanj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kotekan-j demo}: the built-in demo pipeline ({@code pipelines/demo.yaml}), runnable on any machine without a
 * telescope, a GPU or root.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo pipeline (pipelines/demo.yaml) and report what it checked.")
public final class DemoCommand implements Callable<Integer>
{
    static final String RESOURCE = "/org/kotekanj/pipelines/demo.yaml";

    @Mixin
    ConfigFlags configFlags;

    @Mixin
    ServiceFlags serviceFlags;

    @Option(names = "--print-config", description = "print the demo config and exit")
    boolean printConfig;

    @Override
    public Integer call() throws IOException
    {
        final String text;
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                System.err.println("the demo config " + RESOURCE + " is not on the classpath (build the pipelines module)");
                return PipelineCommand.EXIT_CONFIG;
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (printConfig)
        {
            System.out.print(text);
            return PipelineCommand.EXIT_OK;
        }
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = configFlags.parse(text, "demo.yaml", errors);
        return PipelineCommand.run(root, errors, serviceFlags, null, System.out, System.err);
    }
}
