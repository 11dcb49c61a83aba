package org.kotekanj.cli;

import java.nio.file.Path;

import org.kotekanj.rest.RestServer;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.status.CountersFile;
import picocli.CommandLine.Option;

/** Flags shared by the commands that start a process: REST address and counters file. */
public final class ServiceFlags
{
    @Option(names = "--rest-port", description = "REST port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int restPort = RestServer.DEFAULT_PORT;

    @Option(names = "--rest-bind", description = "REST bind address (default ${DEFAULT-VALUE})")
    String restBind = RestServer.DEFAULT_BIND;

    @Option(names = "--no-rest", description = "do not serve REST")
    boolean noRest;

    @Option(names = "--instance", description = "instance name for the counters file (default kotekan-j-PID)")
    String instance;

    @Option(names = "--counters-dir", description = "directory of counters files (default /dev/shm/kotekan-j)")
    Path countersDir;

    ServiceOptions options()
    {
        final ServiceOptions defaults = ServiceOptions.defaults();
        return defaults.withRest(!noRest, restBind, restPort).withCounters(
            countersDir != null ? countersDir : CountersFile.defaultDirectory(),
            instance != null ? instance : defaults.instance());
    }
}
