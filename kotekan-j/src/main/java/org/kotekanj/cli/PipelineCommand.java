package org.kotekanj.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigException;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.log.Log;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.TerminationSignals;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.MetricsRegistry;

/**
 * Runs one pipeline in the foreground: check, start, wait until it ends by itself, fails, reaches a time limit or
 * gets SIGTERM/SIGINT (which drain it and exit 0; a second signal stops without draining).
 */
final class PipelineCommand
{
    static final int EXIT_OK = 0;
    static final int EXIT_CONFIG = 1;
    static final int EXIT_FAILED = 2;
    static final int EXIT_START = 3;

    private PipelineCommand()
    {
    }

    /** Lists every error and returns false if the config cannot run. */
    static boolean check(final ConfigNode root, final ConfigErrors errors, final StageRegistry stages,
        final PrintStream err)
    {
        if (errors.isEmpty())
        {
            PipelineBuilder.build(root, stages, MetricsRegistry.inMemory(), errors);
        }
        if (!errors.isEmpty())
        {
            ConfigFlags.print(errors, err);
            err.println(errors.size() + " error" + (errors.size() == 1 ? "" : "s") + "; not started");
            return false;
        }
        return true;
    }

    static int run(final ConfigNode root, final ConfigErrors errors, final ServiceFlags flags,
        final Duration limit, final PrintStream out, final PrintStream err)
    {
        final StageRegistry stages = StageRegistry.discover();
        if (!check(root, errors, stages, err))
        {
            return EXIT_CONFIG;
        }
        final Log log = Log.of("kotekan-j");
        try (KotekanService service = KotekanService.open(flags.options(), stages, false))
        {
            final Pipeline pipeline;
            try
            {
                pipeline = service.start(root);
            }
            catch (final ConfigException e)
            {
                err.println(e.getMessage());
                return EXIT_CONFIG;
            }
            catch (final RuntimeException e)
            {
                err.println("failed to start: " + e.getMessage());
                return EXIT_START;
            }
            if (service.restPort() > 0)
            {
                log.info("REST on http://" + flags.options().restBind() + ":" + service.restPort() +
                    "/status; counters in " + service.countersFile());
            }
            final AtomicInteger signals = new AtomicInteger();
            TerminationSignals.handle(signal ->
            {
                if (signals.incrementAndGet() == 1)
                {
                    log.info("SIG" + signal + ": draining (send again to stop at once)");
                    pipeline.requestStop();
                }
                else
                {
                    log.warn("SIG" + signal + " again: stopping without draining");
                    Runtime.getRuntime().halt(EXIT_FAILED);
                }
            });
            if (!pipeline.awaitStages(limit != null ? limit : Duration.ofDays(36500)))
            {
                log.info("time limit of " + limit.toMillis() / 1000.0 + " s reached: draining");
            }
            final boolean drained = pipeline.stop();
            if (pipeline.failure() != null)
            {
                err.println("pipeline failed: " + pipeline.failure());
                return EXIT_FAILED;
            }
            if (!drained)
            {
                err.println("pipeline did not drain in time; stopped without draining");
                return EXIT_FAILED;
            }
            out.println("pipeline finished");
            return EXIT_OK;
        }
        catch (final IOException | IllegalStateException e)
        {
            err.println("cannot start: " + e.getMessage());
            return EXIT_START;
        }
    }
}
