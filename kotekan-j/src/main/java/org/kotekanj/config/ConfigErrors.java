package org.kotekanj.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Collects every problem found while loading, checking and building a pipeline, so that {@code check} can list them
 * all at once instead of stopping at the first.
 */
public final class ConfigErrors
{
    private final LinkedHashSet<ConfigError> errors = new LinkedHashSet<>();
    private final java.util.Set<String> unreadable = new java.util.HashSet<>();

    public void add(final ConfigError error)
    {
        errors.add(error);
    }

    /** Records a problem with a value, located where that value was defined. */
    public void at(final ConfigValue value, final String message)
    {
        add(new ConfigError(value.node().file(), value.line(), value.path(), message));
    }

    /**
     * Records that a value cannot be read, once per definition: a value set on a node above is read by every stage
     * below it, and the operator has one line to fix however many stages read it.
     */
    public void unreadable(final ConfigValue value, final String message)
    {
        if (unreadable.add(value.node().file() + ":" + value.line() + ":" + value.path()))
        {
            at(value, message);
        }
    }

    /** Records a problem with a node as a whole (e.g. a missing key), located at the node. */
    public void at(final ConfigNode node, final String message)
    {
        add(new ConfigError(node.file(), node.line(), node.path(), message));
    }

    public boolean isEmpty()
    {
        return errors.isEmpty();
    }

    public int size()
    {
        return errors.size();
    }

    /** Errors sorted by line, so the listing reads top to bottom like the file. */
    public List<ConfigError> list()
    {
        final List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt((ConfigError e) -> e.line() <= 0 ? Integer.MAX_VALUE : e.line())
            .thenComparing(ConfigError::path));
        return sorted;
    }

    public void throwIfAny()
    {
        if (!errors.isEmpty())
        {
            throw new ConfigException(list());
        }
    }

    public void addAll(final ConfigErrors other)
    {
        errors.addAll(other.errors);
    }
}
