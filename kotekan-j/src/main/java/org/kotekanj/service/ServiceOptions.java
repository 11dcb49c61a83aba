package org.kotekanj.service;

import java.nio.file.Path;
import java.util.List;

import org.kotekanj.rest.RestServer;
import org.kotekanj.status.CountersFile;

/**
 * How a kotekan-j process presents itself: REST address (or none), counters file location and instance name; who
 * may change it over REST (the token file, {@code null} for none, and whether reads need it too) and where a config
 * posted to it may write ({@code writeRoots}; empty: the working directory). Immutable; built from command-line flags.
 */
public record ServiceOptions(boolean restEnabled, String restBind, int restPort, Path countersDirectory,
    String instance, Path restTokenFile, boolean restProtectReads, List<Path> writeRoots)
{
    public ServiceOptions
    {
        writeRoots = List.copyOf(writeRoots);
    }

    public ServiceOptions(final boolean restEnabled, final String restBind, final int restPort,
        final Path countersDirectory, final String instance)
    {
        this(restEnabled, restBind, restPort, countersDirectory, instance, null, false, List.of());
    }

    public static ServiceOptions defaults()
    {
        return new ServiceOptions(true, RestServer.DEFAULT_BIND, RestServer.DEFAULT_PORT,
            CountersFile.defaultDirectory(), "kotekan-j-" + ProcessHandle.current().pid());
    }

    public ServiceOptions withRest(final boolean enabled, final String bind, final int port)
    {
        return new ServiceOptions(enabled, bind, port, countersDirectory, instance, restTokenFile, restProtectReads,
            writeRoots);
    }

    public ServiceOptions withAccess(final Path tokenFile, final boolean protectReads, final List<Path> roots)
    {
        return new ServiceOptions(restEnabled, restBind, restPort, countersDirectory, instance, tokenFile,
            protectReads, roots);
    }

    public ServiceOptions withCounters(final Path directory, final String name)
    {
        return new ServiceOptions(restEnabled, restBind, restPort, directory, name, restTokenFile, restProtectReads,
            writeRoots);
    }
}
