package org.kotekanj.config;

import java.util.List;

/**
 * Applies {@code --set path=value} overrides from the command line to a loaded tree. A path is a node path plus key,
 * with {@code /} or {@code .} separators ({@code recv_0/port=10001}, {@code num_elements=256} for the root); the
 * value is read as a YAML scalar or flow list, so {@code [0,1]} and {@code 2048} keep their types.
 */
public final class ConfigOverrides
{
    private ConfigOverrides()
    {
    }

    public static void apply(final ConfigNode root, final List<String> assignments, final ConfigErrors errors)
    {
        for (final String assignment : assignments)
        {
            final int equals = assignment.indexOf('=');
            if (equals <= 0)
            {
                errors.add(new ConfigError("--set", 0, assignment, "expected key=value"));
                continue;
            }
            final String[] parts = assignment.substring(0, equals).replace('.', '/').replaceAll("^/+", "").split("/");
            ConfigNode node = root;
            for (int i = 0; i < parts.length - 1 && node != null; i++)
            {
                node = node.child(parts[i]);
            }
            if (node == null)
            {
                errors.add(new ConfigError("--set", 0, assignment.substring(0, equals), "no such node in the config"));
                continue;
            }
            final ConfigErrors parseErrors = new ConfigErrors();
            final ConfigNode parsed = YamlConfigLoader.parse("v: " + assignment.substring(equals + 1), "--set",
                parseErrors);
            final ConfigValue value = parsed.own("v");
            if (!parseErrors.isEmpty() || value == null && parsed.child("v") == null)
            {
                errors.add(new ConfigError("--set", 0, assignment, "cannot read the value"));
                continue;
            }
            if (value == null)
            {
                errors.add(new ConfigError("--set", 0, assignment, "--set takes scalars and lists, not maps"));
                continue;
            }
            node.put(parts[parts.length - 1], value.raw(), 0);
        }
    }
}
