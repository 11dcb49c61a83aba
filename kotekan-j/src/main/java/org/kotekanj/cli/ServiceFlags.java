package org.kotekanj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.rest.RestServer;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.status.CountersFile;
import picocli.CommandLine.Option;

/** Flags shared by the commands that start a process: REST address and access, counters file, write roots. */
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

    @Option(names = "--rest-token-file", paramLabel = "FILE",
        description = "bearer token that every changing REST request (POST, DELETE) must carry; the file must be " +
            "readable by its owner only (chmod 600)")
    Path restTokenFile;

    @Option(names = "--rest-protect-reads", description = "GET requests need the token too")
    boolean restProtectReads;

    @Option(names = "--write-root", paramLabel = "DIR",
        description = "a directory a config POSTed to /start may write in (repeatable; default: the working " +
            "directory)")
    List<Path> writeRoots = new ArrayList<>();

    ServiceOptions options()
    {
        final ServiceOptions defaults = ServiceOptions.defaults();
        return defaults.withRest(!noRest, restBind, restPort).withCounters(
            countersDir != null ? countersDir : CountersFile.defaultDirectory(),
            instance != null ? instance : defaults.instance())
            .withAccess(restTokenFile, restProtectReads, writeRoots);
    }
}
