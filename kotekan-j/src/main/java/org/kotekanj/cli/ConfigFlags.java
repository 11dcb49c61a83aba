package org.kotekanj.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigOverlay;
import org.kotekanj.config.ConfigOverrides;
import org.kotekanj.config.YamlConfigLoader;
import picocli.CommandLine.Option;

/**
 * Loading a site file with its node overlay ({@code --overlay FILE}, or {@code overlays/<hostname>.yaml} found
 * beside it; see {@link NodeOverlays}) and then the {@code --set path=value} overrides, in that order.
 */
public final class ConfigFlags
{
    @Option(names = "--set", paramLabel = "PATH=VALUE",
        description = "override a config value, e.g. --set recv/port=10001 (repeatable); applied after the overlay")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--overlay", paramLabel = "FILE",
        description = "node overlay merged over the site file (default: overlays/<hostname>.yaml beside it, if any)")
    Path overlay;

    @Option(names = "--no-overlay", description = "use the site file without any node overlay")
    boolean noOverlay;

    @Option(names = "--node-name", paramLabel = "NAME",
        description = "the node whose overlay to pick (default: this host's name without its domain)")
    String nodeName;

    /** The overlay this command uses for {@code siteFile}, or {@code null}. */
    Path chosenOverlay(final Path siteFile)
    {
        if (overlay != null || noOverlay)
        {
            return overlay;
        }
        return NodeOverlays.forNode(siteFile, nodeName != null ? nodeName : NodeOverlays.hostName());
    }

    /** Whether the overlay was named on the command line (then {@code check} checks only that one). */
    boolean overlayNamed()
    {
        return overlay != null || noOverlay || nodeName != null;
    }

    ConfigNode load(final Path file, final ConfigErrors errors)
    {
        return load(file, chosenOverlay(file), errors);
    }

    ConfigNode load(final Path file, final Path overlayFile, final ConfigErrors errors)
    {
        final ConfigNode root = YamlConfigLoader.load(file, errors);
        if (overlayFile != null)
        {
            if (!Files.isRegularFile(overlayFile))
            {
                errors.add(new ConfigError(overlayFile.toString(), 0, "/", "no such overlay file"));
                return root;
            }
            ConfigOverlay.apply(root, YamlConfigLoader.load(overlayFile, errors), errors);
        }
        ConfigOverrides.apply(root, overrides, errors);
        return root;
    }

    ConfigNode parse(final String text, final String name, final ConfigErrors errors)
    {
        final ConfigNode root = YamlConfigLoader.parse(text, name, errors);
        ConfigOverrides.apply(root, overrides, errors);
        return root;
    }

    static void print(final ConfigErrors errors, final PrintStream out)
    {
        for (final ConfigError error : errors.list())
        {
            out.println(error);
        }
    }
}
