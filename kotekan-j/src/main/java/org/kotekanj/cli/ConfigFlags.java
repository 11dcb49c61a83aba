package org.kotekanj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigOverrides;
import org.kotekanj.config.YamlConfigLoader;
import picocli.CommandLine.Option;

/** {@code --set path=value} overrides, and loading a config file with them applied. */
public final class ConfigFlags
{
    @Option(names = "--set", paramLabel = "PATH=VALUE",
        description = "override a config value, e.g. --set recv/port=10001 (repeatable)")
    List<String> overrides = new ArrayList<>();

    ConfigNode load(final Path file, final ConfigErrors errors)
    {
        final ConfigNode root = YamlConfigLoader.load(file, errors);
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
