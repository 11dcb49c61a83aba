package org.kotekanj.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a site file's node overlays live: {@code overlays/<site>/} beside the site file when that folder exists (a
 * folder of several site files, like {@code pipelines/}), else {@code overlays/} (a node's {@code /etc/kotekan-j}
 * with one site file). A node's overlay is {@code <hostname>.yaml} there, the host name without its domain.
 */
final class NodeOverlays
{
    private static final String SUFFIX = ".yaml";

    private NodeOverlays()
    {
    }

    static Path directory(final Path siteFile)
    {
        final Path parent = siteFile.getParent() != null ? siteFile.getParent() : Path.of("");
        final String name = siteFile.getFileName().toString();
        final String site = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        final Path perSite = parent.resolve("overlays").resolve(site);
        return Files.isDirectory(perSite) ? perSite : parent.resolve("overlays");
    }

    /** The overlay of {@code nodeName} for this site file, or {@code null} if it has none. */
    static Path forNode(final Path siteFile, final String nodeName)
    {
        final Path overlay = directory(siteFile).resolve(nodeName + SUFFIX);
        return Files.isRegularFile(overlay) ? overlay : null;
    }

    /** Every overlay of this site file, by name. */
    static List<Path> all(final Path siteFile)
    {
        final Path directory = directory(siteFile);
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
                .sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** This machine's name without its domain, as overlays are named. */
    static String hostName()
    {
        String name;
        try
        {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        }
        catch (final IOException e)
        {
            try
            {
                name = InetAddress.getLocalHost().getHostName();
            }
            catch (final IOException unknown)
            {
                name = "localhost";
            }
        }
        final int dot = name.indexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
    }
}
