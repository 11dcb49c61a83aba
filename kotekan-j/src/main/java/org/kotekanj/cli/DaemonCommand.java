package org.kotekanj.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.kotekanj.log.Log;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.TerminationSignals;
import org.kotekanj.stage.StageRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kotekan-j daemon}: serve REST and wait for a controller to {@code POST /start} a config; invalid configs are
 * rejected with their errors and the daemon stays up. SIGTERM/SIGINT drain any running pipeline and exit 0.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "Serve REST and run configs POSTed to /start until POST /stop; exits on SIGTERM/SIGINT.")
public final class DaemonCommand implements Callable<Integer>
{
    @Mixin
    ServiceFlags serviceFlags;

    @Override
    public Integer call() throws Exception
    {
        final Log log = Log.of("kotekan-j");
        final CountDownLatch exit = new CountDownLatch(1);
        try (KotekanService service = KotekanService.open(serviceFlags.options(), StageRegistry.discover(), true))
        {
            TerminationSignals.handle(signal ->
            {
                log.info("SIG" + signal + ": stopping");
                exit.countDown();
            });
            log.info("daemon ready: POST a config to http://" + serviceFlags.options().restBind() + ":" +
                service.restPort() + "/start");
            exit.await();
        }
        return PipelineCommand.EXIT_OK;
    }
}
