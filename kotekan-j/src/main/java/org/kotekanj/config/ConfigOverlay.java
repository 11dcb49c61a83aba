package org.kotekanj.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges a node overlay (the few values that differ per node: frequencies, slot, ports, cores, GPU) over a site
 * file, so that a site keeps one config and each node one small file instead of a copy of the whole config.
 *
 * <p>An overlay is a YAML tree shaped like the site file: its values replace or add values on the node at the same
 * path; its maps merge into the site's nodes at the same path. It cannot add nodes or change what a node declares
 * ({@code kotekan_stage}, {@code kotekan_buffer}, ...): a node the site file lacks is an error, so that a typo in an
 * overlay is reported instead of silently doing nothing.
 */
public final class ConfigOverlay
{
    private ConfigOverlay()
    {
    }

    /** Applies {@code overlay} to {@code site}; every problem is added to {@code errors}, located in the overlay. */
    public static void apply(final ConfigNode site, final ConfigNode overlay, final ConfigErrors errors)
    {
        for (final ConfigValue value : overlay.values())
        {
            if (value.key().startsWith("kotekan_"))
            {
                errors.add(new ConfigError(overlay.file(), value.line(), value.path(),
                    "an overlay sets values; it cannot declare or change a node's kind (" + value.key() + ")"));
                continue;
            }
            // Overlay values keep no line: the line would be read as one of the site file's.
            site.put(value.key(), copy(value.raw(), site), 0);
        }
        for (final ConfigNode child : overlay.children())
        {
            final ConfigNode target = site.child(child.name());
            if (target == null)
            {
                errors.add(new ConfigError(overlay.file(), child.line(), child.path(),
                    "the site file has no node " + child.path() + " (an overlay only sets values of existing nodes)"));
                continue;
            }
            apply(target, child, errors);
        }
    }

    /** Maps inside lists ({@code streams: [{...}]}) are re-parented so their lookups see the site's ancestors. */
    private static Object copy(final Object raw, final ConfigNode owner)
    {
        if (raw instanceof List<?> list)
        {
            final List<Object> copied = new ArrayList<>(list.size());
            for (final Object element : list)
            {
                copied.add(copy(element, owner));
            }
            return copied;
        }
        if (raw instanceof ConfigNode map)
        {
            final ConfigNode copied = new ConfigNode(map.name(), owner, map.file(), map.line());
            copyInto(map, copied);
            return copied;
        }
        return raw;
    }

    private static void copyInto(final ConfigNode from, final ConfigNode to)
    {
        for (final ConfigValue value : from.values())
        {
            to.put(value.key(), copy(value.raw(), to), 0);
        }
        for (final ConfigNode child : from.children())
        {
            copyInto(child, to.addChild(child.name(), 0));
        }
    }
}
