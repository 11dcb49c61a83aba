package org.kotekanj.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a pipeline YAML file into a {@link ConfigNode} tree with line numbers.
 *
 * <p>SnakeYAML only composes the document (no object construction, so no arbitrary types: safe by construction, and
 * no Python subprocess as in Kotekan); anchors, aliases and {@code <<} merge keys are resolved here. Any tag other
 * than YAML's core scalar, map and list tags is an error. The work is bounded whatever the text: SnakeYAML limits
 * the input size, nesting depth and alias count, and this loader counts every value, list item, map and merged key
 * it expands ({@link #MAX_EXPANDED_NODES}), so that a few hundred bytes of nested aliases (a "billion laughs")
 * are one error at the alias that crossed the bound, not minutes of work ending in an OutOfMemoryError.
 */
public final class YamlConfigLoader
{
    private static final int MAX_DEPTH = 64;
    /** Values, list items and maps a config may expand to, counting every alias use (site configs hold thousands). */
    public static final int MAX_EXPANDED_NODES = 100_000;

    /** Characters read from one config (a config POSTed to a daemon is bounded by the REST body limit as well). */
    private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

    private final String file;
    private final ConfigErrors errors;
    private int expanded;
    private int siteLine;
    private ConfigNode siteOwner;
    private String siteKey;

    /** Thrown when the expansion bound is crossed: stops the whole load at once. */
    private static final class ExpansionBound extends RuntimeException
    {
        private final int line;
        private final String path;

        ExpansionBound(final int line, final String path)
        {
            super(null, null, false, false);
            this.line = line;
            this.path = path;
        }
    }

    private YamlConfigLoader(final String file, final ConfigErrors errors)
    {
        this.file = file;
        this.errors = errors;
    }

    /** Loads a file; problems are added to {@code errors} and the tree holds whatever could be read. */
    public static ConfigNode load(final Path path, final ConfigErrors errors)
    {
        final String problem;
        if (Files.isDirectory(path))
        {
            problem = "is a directory, not a config file";
        }
        else if (!Files.exists(path))
        {
            problem = "no such config file";
        }
        else
        {
            try
            {
                final long bytes = Files.size(path);
                if (bytes > 4L * MAX_CODE_POINTS)
                {
                    errors.add(new ConfigError(path.toString(), 0, "/", "the config file is " + bytes +
                        " bytes; a pipeline config is at most " + MAX_CODE_POINTS + " characters"));
                    return ConfigNode.root(path.toString());
                }
                return parse(Files.readString(path), path.toString(), errors);
            }
            catch (final java.nio.file.AccessDeniedException e)
            {
                problem = "cannot read config file: permission denied";
            }
            catch (final java.nio.charset.CharacterCodingException e)
            {
                problem = "cannot read config file: it is not UTF-8 text";
            }
            catch (final IOException e)
            {
                problem = "cannot read config file: " + (e.getMessage() != null ? e.getMessage() : e.toString());
            }
        }
        errors.add(new ConfigError(path.toString(), 0, "/", problem));
        return ConfigNode.root(path.toString());
    }

    /** Parses YAML (or JSON, which is YAML) text. */
    public static ConfigNode parse(final String text, final String file, final ConfigErrors errors)
    {
        return new YamlConfigLoader(file, errors).compose(new StringReader(text));
    }

    private ConfigNode compose(final Reader reader)
    {
        final ConfigNode root = ConfigNode.root(file);
        final LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(1000);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        final Yaml yaml = new Yaml(new SafeConstructor(options));
        final Node document;
        try
        {
            final List<Node> documents = new ArrayList<>();
            for (final Node node : yaml.composeAll(reader))
            {
                documents.add(node);
            }
            if (documents.size() > 1)
            {
                errors.add(new ConfigError(file, line(documents.get(1)), "/",
                    "a pipeline config is one YAML document; found " + documents.size()));
            }
            document = documents.isEmpty() ? null : documents.get(0);
        }
        catch (final MarkedYAMLException e)
        {
            final int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            errors.add(new ConfigError(file, line, "/", "YAML syntax: " + e.getProblem() +
                (e.getContext() != null ? " (" + e.getContext() + ")" : "")));
            return root;
        }
        catch (final YAMLException e)
        {
            errors.add(new ConfigError(file, 0, "/", "YAML: " + e.getMessage()));
            return root;
        }
        if (document == null)
        {
            errors.add(new ConfigError(file, 1, "/", "the config is empty"));
            return root;
        }
        if (!(document instanceof MappingNode mapping))
        {
            errors.add(new ConfigError(file, line(document), "/", "the top of a pipeline config must be a map"));
            return root;
        }
        try
        {
            fill(root, mapping, new IdentityHashMap<>(), 0);
        }
        catch (final ExpansionBound e)
        {
            errors.add(new ConfigError(file, e.line, e.path, "the config expands to more than " +
                MAX_EXPANDED_NODES + " values through its aliases and merges (an alias bomb?); not read further"));
            return ConfigNode.root(file);
        }
        return root;
    }

    /**
     * Counts one expanded value, list item, map or merged key. An alias resolves to the node it names, so the line
     * reported is the furthest one read so far: the line of the alias that crossed the bound, not of its anchor.
     */
    private void expand(final Node node, final ConfigNode owner, final String key)
    {
        final int at = line(node);
        if (at >= siteLine)
        {
            siteLine = at;
            siteOwner = owner;
            siteKey = key;
        }
        if (++expanded > MAX_EXPANDED_NODES)
        {
            throw new ExpansionBound(siteLine, siteKey == null ? siteOwner.path() : pathOf(siteOwner, siteKey));
        }
    }

    private void fill(final ConfigNode target, final MappingNode mapping, final IdentityHashMap<Node, Boolean> active,
        final int depth)
    {
        if (depth > MAX_DEPTH || active.put(mapping, Boolean.TRUE) != null)
        {
            errors.at(target, "the config nests too deeply or refers to itself through an alias");
            return;
        }
        for (final Map.Entry<String, NodeTuple> entry : entries(target, mapping).entrySet())
        {
            final String key = entry.getKey();
            final Node value = entry.getValue().getValueNode();
            // Errors about a node or value point at the line of its key: the line that names it.
            final int keyLine = line(entry.getValue().getKeyNode());
            expand(value, target, key);
            if (value instanceof MappingNode child)
            {
                requireCoreTag(child, Tag.MAP, target, key);
                fill(target.addChild(key, keyLine), child, active, depth + 1);
            }
            else
            {
                target.put(key, toValue(target, key, value, active, depth + 1), keyLine);
            }
        }
        active.remove(mapping);
    }

    /**
     * The key/value pairs of a map after applying {@code <<} merges (explicit keys win over merged ones); a key given
     * twice is an error (SnakeYAML checks duplicates only when constructing objects, which we never do).
     */
    private Map<String, NodeTuple> entries(final ConfigNode target, final MappingNode mapping)
    {
        final Map<String, NodeTuple> explicit = new LinkedHashMap<>();
        final Map<String, NodeTuple> merged = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey))
            {
                errors.add(new ConfigError(file, line(keyNode), target.path(), "map keys must be plain scalars"));
                continue;
            }
            if (Tag.MERGE.equals(keyNode.getTag()))
            {
                final Node source = tuple.getValueNode();
                final List<Node> sources = source instanceof SequenceNode seq ? seq.getValue() : List.of(source);
                for (final Node one : sources)
                {
                    if (one instanceof MappingNode mergedMap)
                    {
                        for (final Map.Entry<String, NodeTuple> e : entries(target, mergedMap).entrySet())
                        {
                            expand(one, target, null);
                            merged.putIfAbsent(e.getKey(), e.getValue());
                        }
                    }
                    else
                    {
                        errors.add(new ConfigError(file, line(one), target.path(), "<< merges only maps"));
                    }
                }
                continue;
            }
            final NodeTuple previous = explicit.put(scalarKey.getValue(), tuple);
            if (previous != null)
            {
                errors.add(new ConfigError(file, line(keyNode), pathOf(target, scalarKey.getValue()),
                    "duplicate key '" + scalarKey.getValue() + "' (first set at line " + line(previous.getKeyNode()) +
                        ")"));
            }
        }
        final Map<String, NodeTuple> all = new LinkedHashMap<>(explicit);
        merged.forEach(all::putIfAbsent);
        return all;
    }

    private Object toValue(final ConfigNode owner, final String key, final Node node,
        final IdentityHashMap<Node, Boolean> active, final int depth)
    {
        if (node instanceof ScalarNode scalar)
        {
            return scalar(owner, key, scalar);
        }
        if (node instanceof SequenceNode sequence)
        {
            requireCoreTag(sequence, Tag.SEQ, owner, key);
            if (depth > MAX_DEPTH || active.put(sequence, Boolean.TRUE) != null)
            {
                errors.at(owner, "list '" + key + "' nests too deeply or refers to itself");
                return List.of();
            }
            final List<Object> list = new ArrayList<>();
            int index = 0;
            for (final Node element : sequence.getValue())
            {
                expand(element, owner, key + "[" + index + "]");
                if (element instanceof MappingNode map)
                {
                    requireCoreTag(map, Tag.MAP, owner, key + "[" + index + "]");
                    final ConfigNode item = new ConfigNode(key + "[" + index + "]", owner, file, line(element));
                    fill(item, map, active, depth + 1);
                    list.add(item);
                }
                else
                {
                    list.add(toValue(owner, key + "[" + index + "]", element, active, depth + 1));
                }
                index++;
            }
            active.remove(sequence);
            return Collections.unmodifiableList(list);
        }
        return null;
    }

    private Object scalar(final ConfigNode owner, final String key, final ScalarNode scalar)
    {
        final Tag tag = scalar.getTag();
        final String text = scalar.getValue();
        try
        {
            if (Tag.INT.equals(tag))
            {
                return parseInteger(text);
            }
            if (Tag.FLOAT.equals(tag))
            {
                return parseFloat(text);
            }
            if (Tag.BOOL.equals(tag))
            {
                final String lower = text.toLowerCase(Locale.ROOT);
                return lower.equals("true") || lower.equals("yes") || lower.equals("on") || lower.equals("y");
            }
            if (Tag.NULL.equals(tag))
            {
                return null;
            }
            // An unquoted date resolves to a timestamp; a config keeps it as the text the operator wrote.
            if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag))
            {
                return text;
            }
        }
        catch (final NumberFormatException | ArithmeticException e)
        {
            errors.add(new ConfigError(file, line(scalar), pathOf(owner, key), "cannot read number '" + text + "'"));
            return text;
        }
        errors.add(new ConfigError(file, line(scalar), pathOf(owner, key), tagNotAllowed(tag)));
        return text;
    }

    /** Maps and lists carry no tag but their own: anything else ({@code !!set}, {@code !custom}) is refused. */
    private void requireCoreTag(final Node node, final Tag expected, final ConfigNode owner, final String key)
    {
        if (!expected.equals(node.getTag()))
        {
            errors.add(new ConfigError(file, line(node), pathOf(owner, key), tagNotAllowed(node.getTag())));
        }
    }

    private static String tagNotAllowed(final Tag tag)
    {
        return "tag " + tag.getValue() + " is not allowed in a pipeline config (only plain scalars, lists and maps)";
    }

    static Long parseInteger(final String text)
    {
        String digits = text.replace("_", "");
        boolean negative = false;
        if (digits.startsWith("-") || digits.startsWith("+"))
        {
            negative = digits.startsWith("-");
            digits = digits.substring(1);
        }
        final BigInteger value;
        if (digits.startsWith("0x") || digits.startsWith("0X"))
        {
            value = new BigInteger(digits.substring(2), 16);
        }
        else if (digits.startsWith("0b") || digits.startsWith("0B"))
        {
            value = new BigInteger(digits.substring(2), 2);
        }
        else if (digits.startsWith("0o") || digits.startsWith("0O"))
        {
            value = new BigInteger(digits.substring(2), 8);
        }
        else if (digits.contains(":"))
        {
            throw new NumberFormatException("sexagesimal numbers are not supported");
        }
        else
        {
            value = new BigInteger(digits);
        }
        return (negative ? value.negate() : value).longValueExact();
    }

    static Double parseFloat(final String text)
    {
        final String lower = text.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (lower)
        {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(lower);
        };
    }

    private static String pathOf(final ConfigNode owner, final String key)
    {
        return owner.isRoot() ? "/" + key : owner.path() + "/" + key;
    }

    private static int line(final Node node)
    {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
