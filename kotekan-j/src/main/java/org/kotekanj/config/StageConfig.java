package org.kotekanj.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-aware reads of one config node, as a stage does them in its constructor.
 *
 * <p>Values are looked up on the node and then its ancestors; strings are evaluated as arithmetic expressions when a
 * number is asked for, with names resolved from this node upwards. A bad or missing value is recorded in the shared
 * {@link ConfigErrors} at the place it was defined and a neutral value is returned, so one {@code check} run lists
 * every problem. The keys a stage reads are remembered: keys set on a stage that it never reads are reported as
 * unknown.
 */
public final class StageConfig
{
    private final ConfigNode node;
    private final ConfigErrors errors;
    private final Set<String> readKeys = new LinkedHashSet<>();
    /** Keys whose value is missing or could not be read: its error is recorded, later ones about it would repeat it. */
    private final Set<String> failedKeys = new java.util.HashSet<>();
    private final Map<String, StageConfig> children = new LinkedHashMap<>();

    public StageConfig(final ConfigNode node, final ConfigErrors errors)
    {
        this.node = node;
        this.errors = errors;
    }

    public ConfigNode node()
    {
        return node;
    }

    public String path()
    {
        return node.path();
    }

    /** The name of the node (the last path element). */
    public String name()
    {
        return node.name();
    }

    public ConfigErrors errors()
    {
        return errors;
    }

    /** True if the key is set here or on an ancestor. */
    public boolean has(final String key)
    {
        readKeys.add(key);
        return node.lookup(key) != null;
    }

    /** Where a value was defined, or {@code null}. */
    public ConfigValue origin(final String key)
    {
        readKeys.add(key);
        return node.lookup(key);
    }

    public long getLong(final String key)
    {
        final ConfigValue value = require(key, "an integer");
        return value == null ? 0 : toLong(value);
    }

    public long getLong(final String key, final long fallback)
    {
        final ConfigValue value = origin(key);
        return value == null ? fallback : toLong(value);
    }

    public int getInt(final String key)
    {
        final ConfigValue value = require(key, "an integer");
        return value == null ? 0 : toInt(value);
    }

    public int getInt(final String key, final int fallback)
    {
        final ConfigValue value = origin(key);
        return value == null ? fallback : toInt(value);
    }

    public double getDouble(final String key)
    {
        final ConfigValue value = require(key, "a number");
        return value == null ? 0 : toDouble(value);
    }

    public double getDouble(final String key, final double fallback)
    {
        final ConfigValue value = origin(key);
        return value == null ? fallback : toDouble(value);
    }

    public boolean getBoolean(final String key, final boolean fallback)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            return fallback;
        }
        if (value.raw() instanceof Boolean b)
        {
            return b;
        }
        fail(value, "expected true or false, found " + value.describeType());
        return fallback;
    }

    public String getString(final String key)
    {
        final ConfigValue value = require(key, "a string");
        return value == null ? "" : toStringValue(value);
    }

    public String getString(final String key, final String fallback)
    {
        final ConfigValue value = origin(key);
        return value == null ? fallback : toStringValue(value);
    }

    /** Reads one of an enum's constants by its lower-case name ({@code busy_spin} for {@code BUSY_SPIN}). */
    public <E extends Enum<E>> E getEnum(final String key, final Class<E> type, final E fallback)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            return fallback;
        }
        final String text = toStringValue(value).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (final E constant : type.getEnumConstants())
        {
            if (constant.name().equals(text))
            {
                return constant;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        fail(value, "expected one of " + String.join(", ", names) + ", found " + value.describeType());
        return fallback;
    }

    /** A list of strings; a single string counts as a one-element list (so {@code in_buf: a} and {@code [a]} both work). */
    public List<String> getStringList(final String key)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            return List.of();
        }
        if (value.raw() instanceof String s)
        {
            return List.of(s);
        }
        final List<String> result = new ArrayList<>();
        if (value.raw() instanceof List<?> list)
        {
            for (final Object element : list)
            {
                if (element instanceof String s)
                {
                    result.add(s);
                }
                else
                {
                    fail(value, "expected a list of strings, found an element " + ConfigValue.describe(element));
                }
            }
            return result;
        }
        fail(value, "expected a string or a list of strings, found " + value.describeType());
        return result;
    }

    /** A list of integers (each element may be an expression); a single integer counts as a one-element list. */
    public long[] getLongArray(final String key, final long[] fallback)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            return fallback;
        }
        final List<?> list = value.raw() instanceof List<?> l ? l : Collections.singletonList(value.raw());
        final long[] result = new long[list.size()];
        for (int i = 0; i < list.size(); i++)
        {
            final ConfigValue element = new ConfigValue(key + "[" + i + "]", list.get(i), value.node(), value.line());
            result[i] = toLong(element);
        }
        return result;
    }

    public int[] getIntArray(final String key, final int[] fallback)
    {
        final long[] values = getLongArray(key, null);
        if (values == null)
        {
            return fallback;
        }
        final int[] result = new int[values.length];
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] < Integer.MIN_VALUE || values[i] > Integer.MAX_VALUE)
            {
                fail(origin(key), "element " + i + " (" + values[i] + ") does not fit in 32 bits");
            }
            result[i] = (int)values[i];
        }
        return result;
    }

    /**
     * A map below this node, as its own accessor. Like scalars, a map is found on this node or, failing that, on the
     * nearest ancestor that has one of that name (so a {@code signal:} block at the root is seen by every stage);
     * declarations ({@code kotekan_stage}, {@code kotekan_buffer}, ...) are never inherited. Unread keys are reported
     * only for the stage's own maps.
     */
    public StageConfig child(final String key)
    {
        readKeys.add(key);
        final ConfigNode own = node.child(key);
        if (own != null)
        {
            return children.computeIfAbsent(key, k -> new StageConfig(own, errors));
        }
        for (ConfigNode scope = node.parent(); scope != null; scope = scope.parent())
        {
            final ConfigNode inherited = scope.child(key);
            if (inherited != null && inherited.kind() == null)
            {
                return inherited == node ? null : new StageConfig(inherited, errors);
            }
        }
        return null;
    }

    /** A list of maps below this node, each as its own accessor. */
    public List<StageConfig> childList(final String key)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            return List.of();
        }
        if (!(value.raw() instanceof List<?> list))
        {
            fail(value, "expected a list of maps, found " + value.describeType());
            return List.of();
        }
        final List<StageConfig> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            if (list.get(i) instanceof ConfigNode item)
            {
                final StageConfig itemConfig = new StageConfig(item, errors);
                children.put(key + "[" + i + "]", itemConfig);
                result.add(itemConfig);
            }
            else
            {
                fail(value, "element " + i + " should be a map, found " + ConfigValue.describe(list.get(i)));
            }
        }
        return result;
    }

    /**
     * Records a problem with a key, at its definition if set, otherwise at this node. A key that could not be read
     * (missing, or of the wrong type) gets no second error: the stage checked a stand-in value, and the operator has
     * one cause to fix.
     */
    public void error(final String key, final String message)
    {
        if (failedKeys.contains(key))
        {
            return;
        }
        final ConfigValue value = node.lookup(key);
        if (value != null)
        {
            errors.at(value, message);
        }
        else
        {
            errors.at(node, key + ": " + message);
        }
    }

    /** Records a problem with this node as a whole. */
    public void error(final String message)
    {
        errors.at(node, message);
    }

    /**
     * Keys set on this node (and on maps below it that were read) that nothing read: almost always a typo or a key
     * of another stage.
     */
    public List<ConfigValue> unreadKeys(final Set<String> alwaysAllowed)
    {
        final List<ConfigValue> unread = new ArrayList<>();
        for (final ConfigValue value : node.values())
        {
            if (!readKeys.contains(value.key()) && !alwaysAllowed.contains(value.key()))
            {
                unread.add(value);
            }
        }
        for (final ConfigNode child : node.children())
        {
            final StageConfig childConfig = children.get(child.name());
            if (childConfig == null)
            {
                if (!readKeys.contains(child.name()))
                {
                    unread.add(new ConfigValue(child.name(), child, node, child.line()));
                }
            }
        }
        for (final StageConfig childConfig : children.values())
        {
            unread.addAll(childConfig.unreadKeys(Set.of()));
        }
        return unread;
    }

    /** True if reading {@code key} recorded an error (the value a getter returned for it is a stand-in). */
    public boolean failed(final String key)
    {
        return failedKeys.contains(key);
    }

    private void fail(final ConfigValue value, final String message)
    {
        final int index = value.key().indexOf('[');
        failedKeys.add(index < 0 ? value.key() : value.key().substring(0, index));
        errors.unreadable(value, message);
    }

    private ConfigValue require(final String key, final String what)
    {
        final ConfigValue value = origin(key);
        if (value == null)
        {
            failedKeys.add(key);
            errors.at(node, "missing '" + key + "' (" + what + "): set it here or on a node above");
        }
        return value;
    }

    private String toStringValue(final ConfigValue value)
    {
        final Object raw = value.raw();
        if (raw instanceof String s)
        {
            return s;
        }
        if (raw instanceof Long || raw instanceof Double || raw instanceof Boolean)
        {
            return String.valueOf(raw);
        }
        fail(value, "expected a string, found " + value.describeType());
        return "";
    }

    private int toInt(final ConfigValue value)
    {
        final long result = toLong(value);
        if (result < Integer.MIN_VALUE || result > Integer.MAX_VALUE)
        {
            fail(value, "value " + result + " does not fit in 32 bits");
            return 0;
        }
        return (int)result;
    }

    private long toLong(final ConfigValue value)
    {
        final Number number = toNumber(value, "an integer");
        if (number instanceof Long l)
        {
            return l;
        }
        if (number != null)
        {
            final double d = number.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53)
            {
                return (long)d;
            }
            fail(value, "expected an integer, found " + describeNumber(value, number));
        }
        return 0;
    }

    private double toDouble(final ConfigValue value)
    {
        final Number number = toNumber(value, "a number");
        return number == null ? 0 : number.doubleValue();
    }

    private static String describeNumber(final ConfigValue value, final Number number)
    {
        return value.raw() instanceof String s ? "\"" + s + "\" = " + number : "number " + number;
    }

    /** The numeric value of a config value, evaluating expressions; records an error and returns null if it has none. */
    private Number toNumber(final ConfigValue value, final String what)
    {
        final Object raw = value.raw();
        if (raw instanceof Long || raw instanceof Double)
        {
            return (Number)raw;
        }
        if (raw instanceof String text)
        {
            try
            {
                return new Evaluation().evaluate(value);
            }
            catch (final ExpressionException e)
            {
                fail(value, "expected " + what + ", found string \"" + text + "\": " + e.getMessage());
                return null;
            }
        }
        fail(value, "expected " + what + ", found " + value.describeType());
        return null;
    }

    /** One evaluation: names resolve from this node upwards, skipping definitions already being evaluated. */
    private final class Evaluation
    {
        private final Deque<ConfigValue> stack = new ArrayDeque<>();

        Number evaluate(final ConfigValue value)
        {
            if (stack.contains(value))
            {
                throw new ExpressionException("'" + value.key() + "' is defined in terms of itself");
            }
            stack.push(value);
            try
            {
                final Object raw = value.raw();
                if (raw instanceof Long || raw instanceof Double)
                {
                    return (Number)raw;
                }
                if (raw instanceof String text)
                {
                    return Expression.evaluate(text, this::resolve);
                }
                throw new ExpressionException("'" + value.key() + "' at " + value.location() + " is a " +
                    value.describeType() + ", not a number");
            }
            finally
            {
                stack.pop();
            }
        }

        private Number resolve(final String name)
        {
            ConfigValue found = null;
            boolean circular = false;
            for (ConfigNode scope = node; scope != null && found == null; scope = scope.parent())
            {
                final ConfigValue candidate = scope.own(name);
                if (candidate != null && !name.startsWith("kotekan_"))
                {
                    circular |= stack.contains(candidate);
                    found = stack.contains(candidate) ? null : candidate;
                }
            }
            if (found == null && circular)
            {
                throw new ExpressionException("'" + name + "' is defined in terms of itself");
            }
            if (found == null)
            {
                throw new ExpressionException("no value named '" + name + "' is set on " + node.path() + " or above");
            }
            return evaluate(found);
        }
    }
}
