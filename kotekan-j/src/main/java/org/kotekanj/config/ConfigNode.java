package org.kotekanj.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A map in the pipeline config tree. Scalars and lists set on a node are seen by every node below it
 * (nearest-ancestor scoping, as in Kotekan), so {@code num_elements} set at the root is visible to every stage; maps
 * are child nodes. Keys starting with {@code kotekan_} declare what a node is and are never inherited.
 */
public final class ConfigNode
{
    public static final String STAGE = "kotekan_stage";
    public static final String BUFFER = "kotekan_buffer";
    public static final String METADATA_POOL = "kotekan_metadata_pool";
    public static final String UPDATE_ENDPOINT = "kotekan_update_endpoint";

    private final String name;
    private final ConfigNode parent;
    private final String file;
    private final int line;
    private final Map<String, ConfigValue> values = new LinkedHashMap<>();
    private final Map<String, ConfigNode> children = new LinkedHashMap<>();

    public ConfigNode(final String name, final ConfigNode parent, final String file, final int line)
    {
        this.name = name;
        this.parent = parent;
        this.file = file;
        this.line = line;
    }

    public static ConfigNode root(final String file)
    {
        return new ConfigNode("", null, file, 1);
    }

    public String name()
    {
        return name;
    }

    public ConfigNode parent()
    {
        return parent;
    }

    public String file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    public boolean isRoot()
    {
        return parent == null;
    }

    /** The node's path from the root, e.g. {@code /gpu/recv_0}; {@code /} for the root. */
    public String path()
    {
        if (parent == null)
        {
            return "/";
        }
        return parent.isRoot() ? "/" + name : parent.path() + "/" + name;
    }

    public void put(final String key, final Object raw, final int valueLine)
    {
        values.put(key, new ConfigValue(key, raw, this, valueLine));
    }

    public ConfigNode addChild(final String childName, final int childLine)
    {
        final ConfigNode child = new ConfigNode(childName, this, file, childLine);
        children.put(childName, child);
        return child;
    }

    /** A value set on this node itself, or {@code null}. */
    public ConfigValue own(final String key)
    {
        return values.get(key);
    }

    /** The value of {@code key} from this node or its nearest ancestor that sets it, or {@code null}. */
    public ConfigValue lookup(final String key)
    {
        return lookup(key, null);
    }

    /**
     * Like {@link #lookup(String)} but skipping one definition; an expression {@code n: n * 2} on a child refers to
     * its parent's {@code n}, not to itself.
     */
    public ConfigValue lookup(final String key, final ConfigValue skip)
    {
        final boolean inheritable = !key.startsWith("kotekan_");
        for (ConfigNode node = this; node != null; node = node.parent)
        {
            final ConfigValue value = node.values.get(key);
            if (value != null && value != skip && (node == this || inheritable))
            {
                return value;
            }
            if (!inheritable)
            {
                return null;
            }
        }
        return null;
    }

    public ConfigNode child(final String childName)
    {
        return children.get(childName);
    }

    public Collection<ConfigNode> children()
    {
        return Collections.unmodifiableCollection(children.values());
    }

    public Collection<ConfigValue> values()
    {
        return Collections.unmodifiableCollection(values.values());
    }

    /** The declaration kind of this node ({@link #STAGE}, {@link #BUFFER}, ...), or {@code null} for plain nodes. */
    public String kind()
    {
        for (final String kind : List.of(STAGE, BUFFER, METADATA_POOL, UPDATE_ENDPOINT))
        {
            if (values.containsKey(kind))
            {
                return kind;
            }
        }
        return null;
    }

    /** Visits this node and all nodes below it, depth first in file order. */
    public void walk(final Consumer<ConfigNode> visitor)
    {
        visitor.accept(this);
        for (final ConfigNode child : new ArrayList<>(children.values()))
        {
            child.walk(visitor);
        }
    }

    /** Finds a node by a path such as {@code /gpu/recv_0} or {@code gpu/recv_0}; {@code null} if absent. */
    public ConfigNode find(final String nodePath)
    {
        ConfigNode node = this;
        for (final String part : nodePath.split("/"))
        {
            if (part.isEmpty())
            {
                continue;
            }
            node = node.children.get(part);
            if (node == null)
            {
                return null;
            }
        }
        return node;
    }

    /** The subtree as plain maps and lists (what {@code GET /config} returns). */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (final ConfigValue value : values.values())
        {
            map.put(value.key(), plain(value.raw()));
        }
        for (final ConfigNode child : children.values())
        {
            map.put(child.name, child.toMap());
        }
        return map;
    }

    private static Object plain(final Object raw)
    {
        if (raw instanceof List<?> list)
        {
            final List<Object> copy = new ArrayList<>(list.size());
            for (final Object element : list)
            {
                copy.add(plain(element));
            }
            return copy;
        }
        return raw instanceof ConfigNode node ? node.toMap() : raw;
    }

    @Override
    public String toString()
    {
        return path();
    }
}
