package org.kotekanj.sim.answers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigOverrides;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The simulator config an answer is computed from: a YAML file (the simulator's or the checker's), {@code --set}
 * overrides, and the node whose {@code signal:} block and geometry keys to read: {@code --node}, else the root if it
 * has a {@code signal:} block, else the only node that has one.
 */
public final class SimConfigOptions
{
    @Parameters(index = "0", paramLabel = "CONFIG", description = "simulator YAML: geometry, stream and signal keys")
    Path config;

    @Option(names = "--node", paramLabel = "PATH",
        description = "the config node to read (default: the one with a signal: block)")
    String node;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a config value (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** The node's config; problems are added to {@code errors}. */
    StageConfig load(final ConfigErrors errors)
    {
        if (!Files.isRegularFile(config))
        {
            errors.add(new ConfigError(config.toString(), 0, "/", "no such config file"));
            return new StageConfig(ConfigNode.root(config.toString()), errors);
        }
        final ConfigNode root = YamlConfigLoader.load(config, errors);
        ConfigOverrides.apply(root, overrides, errors);
        return new StageConfig(select(root, errors), errors);
    }

    private ConfigNode select(final ConfigNode root, final ConfigErrors errors)
    {
        if (node != null)
        {
            final ConfigNode found = root.find(node);
            if (found == null)
            {
                errors.add(new ConfigError(config.toString(), 0, node, "--node: no such node in the config"));
                return root;
            }
            return found;
        }
        if (root.child("signal") != null)
        {
            return root;
        }
        final List<ConfigNode> withSignal = new ArrayList<>();
        root.walk(candidate ->
        {
            if (candidate.child("signal") != null)
            {
                withSignal.add(candidate);
            }
        });
        if (withSignal.size() > 1)
        {
            errors.add(new ConfigError(config.toString(), 0, "/", "several nodes have a signal: block (" +
                String.join(", ", withSignal.stream().map(ConfigNode::path).toList()) + "); pick one with --node"));
        }
        return withSignal.isEmpty() ? root : withSignal.get(0);
    }
}
