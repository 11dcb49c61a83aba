package org.kotekanj.config;

import java.util.List;

/**
 * A scalar or list value of the config tree, remembering the node and line that set it so that every error and every
 * {@code GET /config} answer can say where a value came from.
 *
 * <p>{@code raw} is a {@link Long}, {@link Double}, {@link Boolean}, {@link String}, {@code null}, or a {@link List} of
 * those and of {@link ConfigNode} (maps inside lists).
 */
public record ConfigValue(String key, Object raw, ConfigNode node, int line)
{
    public String path()
    {
        return node.isRoot() ? "/" + key : node.path() + "/" + key;
    }

    /** {@code /path/key (line N)}, for messages that point at a definition from somewhere else. */
    public String location()
    {
        return path() + (line > 0 ? " (line " + line + ")" : "");
    }

    public String describeType()
    {
        return describe(raw);
    }

    static String describe(final Object raw)
    {
        if (raw == null)
        {
            return "null";
        }
        if (raw instanceof Long)
        {
            return "integer " + raw;
        }
        if (raw instanceof Double)
        {
            return "number " + raw;
        }
        if (raw instanceof Boolean)
        {
            return "boolean " + raw;
        }
        if (raw instanceof String s)
        {
            return "string \"" + s + "\"";
        }
        if (raw instanceof List<?>)
        {
            return "list";
        }
        if (raw instanceof ConfigNode)
        {
            return "map";
        }
        return raw.getClass().getSimpleName();
    }
}
