package org.kotekanj.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The directories a config posted to a daemon may name for files ({@code --write-root}): a controller that can
 * {@code POST /start} must not be able to point a writer at {@code /etc}. Every value whose key names a file or
 * directory ({@code output_dir}, {@code archive_root}, {@code log_file}, any {@code *_dir}, {@code *_root},
 * {@code *_file}, {@code *_path}, the simulator's {@code pcap} and {@code ground_truth}) must resolve, after
 * {@code ..} and symbolic links of its existing part, inside one of the roots; otherwise the whole config is
 * refused before anything is built, so nothing is written.
 */
public final class WriteRoots
{
    private static final Set<String> PATH_KEYS = Set.of("pcap", "ground_truth");
    private static final List<String> PATH_SUFFIXES = List.of("_dir", "_root", "_file", "_path");

    private final List<Path> roots;

    private WriteRoots(final List<Path> roots)
    {
        this.roots = roots;
    }

    /** Roots as given (relative ones against the working directory); each must exist. */
    public static WriteRoots of(final List<Path> directories) throws IOException
    {
        final List<Path> real = new java.util.ArrayList<>();
        for (final Path directory : directories)
        {
            if (!Files.isDirectory(directory))
            {
                throw new IOException("--write-root " + directory + " is not a directory");
            }
            real.add(directory.toRealPath());
        }
        return new WriteRoots(List.copyOf(real));
    }

    public List<Path> roots()
    {
        return roots;
    }

    static boolean namesAPath(final String key)
    {
        return PATH_KEYS.contains(key) || PATH_SUFFIXES.stream().anyMatch(key::endsWith);
    }

    /** Adds an error for every path value of the tree that leaves the roots. */
    public void check(final ConfigNode root, final ConfigErrors errors)
    {
        root.walk(node ->
        {
            for (final ConfigValue value : node.values())
            {
                if (namesAPath(value.key()) && value.raw() instanceof String text && !inside(text))
                {
                    errors.at(value, value.key() + " " + text + " is outside the directories this node may " +
                        "write (--write-root " + String.join(", ", roots.stream().map(Path::toString).toList()) +
                        ")");
                }
            }
        });
    }

    boolean inside(final String text)
    {
        final Path path;
        try
        {
            path = Path.of(text).toAbsolutePath().normalize();
        }
        catch (final InvalidPathException e)
        {
            return false;
        }
        final Path real = realPrefix(path);
        return real != null && roots.stream().anyMatch(real::startsWith);
    }

    /** The path with its deepest existing ancestor replaced by its real path (a link cannot lead out of a root). */
    private static Path realPrefix(final Path path)
    {
        Path existing = path;
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return null;
        }
        try
        {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        }
        catch (final IOException e)
        {
            return null;
        }
    }
}
