package org.kotekanj.service;

import java.nio.file.Path;

import org.kotekanj.rest.RestServer;
import org.kotekanj.status.CountersFile;

/**
 * How a kotekan-j process presents itself: REST address (or none), counters file location and instance name.
 * Immutable; built from command-line flags.
 */
public record ServiceOptions(boolean restEnabled, String restBind, int restPort, Path countersDirectory,
    String instance)
{
    public static ServiceOptions defaults()
    {
        return new ServiceOptions(true, RestServer.DEFAULT_BIND, RestServer.DEFAULT_PORT,
            CountersFile.defaultDirectory(), "kotekan-j-" + ProcessHandle.current().pid());
    }

    public ServiceOptions withRest(final boolean enabled, final String bind, final int port)
    {
        return new ServiceOptions(enabled, bind, port, countersDirectory, instance);
    }

    public ServiceOptions withCounters(final Path directory, final String name)
    {
        return new ServiceOptions(restEnabled, restBind, restPort, directory, name);
    }
}
