package org.kotekanj.sim;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigOverrides;
import org.kotekanj.config.ConfigValue;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.sim.send.SimulatorRun;
import org.kotekanj.sim.trigger.FrbTriggerConfig;
import org.kotekanj.sim.trigger.FrbTriggerOutcome;
import org.kotekanj.sim.trigger.FrbTriggerScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kotekan-j sim}: the F-engine simulator from the command line. Flags are written into a config node (over
 * {@code --config FILE}, which takes the {@code FengineSimulator} stage's keys), so the command and the stage share
 * one reader and one set of checks; any error is listed and nothing is sent.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Simulate an F-engine: send a node's streams over UDP (or write a pcap file) with a signal, a " +
        "rate and impairments, and log what was really sent.",
        "Example: kotekan-j sim --profile chime --signal tpluse --dest 127.0.0.1:10000-10003 --duration 5 " +
            "--rate realtime --ground-truth truth.jsonl",
        "Exit 0 when done, 1 for bad flags or config (all listed; nothing sent), 2 if sending failed."})
public final class SimCommand implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_CONFIG = 1;
    static final int EXIT_FAILED = 2;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the simulator's keys; flags " +
        "override it")
    Path config;

    @Option(names = "--profile", paramLabel = "NAME", description = "chime, single-board or generic")
    String profile;

    @Option(names = "--signal", paramLabel = "TYPE", description = "signal type (const, tpluse, ...)")
    String signal;

    @Option(names = "--dest", split = ",", paramLabel = "HOST:PORT[-LAST]",
        description = "destinations: one for all streams or one per stream, e.g. 127.0.0.1:10000-10003")
    List<String> destinations;

    @Option(names = "--allow-remote", description = "allow destinations outside 127.0.0.0/8")
    Boolean allowRemote;

    @Option(names = "--count", paramLabel = "N", description = "time steps per stream (packets per link)")
    Long count;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "send for this long (pcap: simulated time)")
    Double duration;

    @Option(names = "--rate", paramLabel = "RATE", description = "realtime, xK (K times real time) or max")
    String rate;

    @Option(names = "--transport", paramLabel = "KIND", description = "sendmmsg (default) or nio")
    String transport;

    @Option(names = "--no-gso", description = "send every datagram as its own message (no UDP GSO)")
    boolean noGso;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write a pcap file instead of sending")
    Path pcap;

    @Option(names = "--ground-truth", paramLabel = "FILE", description = "write the ground-truth log (JSON lines)")
    Path groundTruth;

    @Option(names = "--seed", paramLabel = "N", description = "seed of every impairment's choices")
    Long seed;

    @Option(names = "--start-seq", paramLabel = "SEQ", description = "seq of the first packet")
    Long startSeq;

    @Option(names = "--trigger-url", paramLabel = "URL", description = "post the frb signal's trigger to this " +
        "node's REST API, e.g. http://127.0.0.1:12048 (frb_trigger.url)")
    String triggerUrl;

    @Option(names = "--trigger-latency", paramLabel = "SECONDS", description = "post it this long after the " +
        "burst's t0 has been sent (frb_trigger.latency_s, default 1)")
    Double triggerLatency;

    @Option(names = "--trigger-event-id", paramLabel = "N", description = "the trigger's event_id (frb_trigger.event_id)")
    Long triggerEventId;

    @Option(names = "--trigger-file-path", paramLabel = "PATH", description = "the trigger's file_path " +
        "(frb_trigger.file_path, default sim)")
    String triggerFilePath;

    @Option(names = "--impair", paramLabel = "NAME.KEY=VALUE",
        description = "an impairment parameter, e.g. --impair loss.rate=0.001 --impair reorder.window=4 (repeatable)")
    List<String> impairments = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other key, e.g. --set slot=3 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call()
    {
        return run(System.out, System.err);
    }

    int run(final PrintStream out, final PrintStream err)
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = loadConfig(errors);
        final StageConfig stage = new StageConfig(root, errors);
        final SimulatorConfig simulator = SimulatorConfig.read(stage);
        for (final ConfigValue unread : stage.unreadKeys(Set.of()))
        {
            errors.at(unread, "unknown key '" + unread.key() + "': the simulator does not read it");
        }
        if (!errors.isEmpty())
        {
            for (final ConfigError error : errors.list())
            {
                err.println(error);
            }
            err.println(errors.size() + " error" + (errors.size() == 1 ? "" : "s") + "; nothing sent");
            return EXIT_CONFIG;
        }
        try (SimulatorRun run = SimulatorRun.open(simulator, false);
             FrbTriggerScheduler trigger = simulator.frbTrigger() == null ? null :
                 new FrbTriggerScheduler(simulator.frbTrigger(), outcome -> print(outcome, out, err)))
        {
            final CountDownLatch done = new CountDownLatch(1);
            final Thread stopper = new Thread(() ->
            {
                run.requestStop();
                awaitQuietly(done);
            }, "sim-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try
            {
                final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
                while (!run.isFinished())
                {
                    final int work = run.doWork();
                    if (work > 0 && trigger != null)
                    {
                        trigger.afterSend(run);
                    }
                    idle.idle(work);
                }
            }
            finally
            {
                done.countDown();
                removeHook(stopper);
            }
            out.println(run.report());
            if (simulator.groundTruth() != null)
            {
                out.println("  ground truth: " + simulator.groundTruth());
            }
            awaitTrigger(trigger, simulator.frbTrigger(), out);
            return EXIT_OK;
        }
        catch (final Exception e)
        {
            err.println("sim failed: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private ConfigNode loadConfig(final ConfigErrors errors)
    {
        final ConfigNode root;
        if (config == null)
        {
            root = ConfigNode.root("command line");
        }
        else if (!Files.isRegularFile(config))
        {
            errors.add(new ConfigError(config.toString(), 0, "/", "no such config file"));
            root = ConfigNode.root(config.toString());
        }
        else
        {
            root = YamlConfigLoader.load(config, errors);
        }
        put(root, "profile", profile);
        put(root, "destinations", destinations == null ? null : List.copyOf(destinations));
        put(root, "allow_remote", allowRemote);
        put(root, "count", count);
        put(root, "duration_s", duration);
        put(root, "rate", rate);
        put(root, "transport", transport);
        put(root, "gso", noGso ? Boolean.FALSE : null);
        put(root, "pcap", pcap == null ? null : pcap.toString());
        put(root, "ground_truth", groundTruth == null ? null : groundTruth.toString());
        put(root, "seed", seed);
        put(root, "start_seq", startSeq);
        if (signal != null)
        {
            put(child(root, "signal"), "type", signal);
        }
        if (triggerUrl != null || triggerLatency != null || triggerEventId != null || triggerFilePath != null)
        {
            final ConfigNode trigger = child(root, FrbTriggerConfig.KEY);
            put(trigger, "url", triggerUrl);
            put(trigger, "latency_s", triggerLatency);
            put(trigger, "event_id", triggerEventId);
            put(trigger, "file_path", triggerFilePath);
        }
        final List<String> impairmentPaths = new ArrayList<>();
        for (final String assignment : impairments)
        {
            final int dot = assignment.indexOf('.');
            if (dot <= 0 || assignment.indexOf('=') < dot)
            {
                errors.add(new ConfigError("--impair", 0, assignment, "expected NAME.KEY=VALUE, e.g. loss.rate=0.01"));
                continue;
            }
            child(child(root, "impairments"), assignment.substring(0, dot));
            impairmentPaths.add("impairments/" + assignment);
        }
        ConfigOverrides.apply(root, impairmentPaths, errors);
        ConfigOverrides.apply(root, overrides, errors);
        return root;
    }

    /** Polls until the trigger's outcome is printed (at most latency + 2 s after it was posted). */
    private static void awaitTrigger(final FrbTriggerScheduler trigger, final FrbTriggerConfig config,
        final PrintStream out) throws InterruptedException
    {
        if (trigger == null)
        {
            return;
        }
        if (!trigger.isPosted())
        {
            out.println("  frb trigger: not posted, the run ended before t0_seq " + config.t0Seq() + " was sent");
            return;
        }
        while (!trigger.isSettled())
        {
            Thread.sleep(10);
        }
    }

    private static void print(final FrbTriggerOutcome outcome, final PrintStream out, final PrintStream err)
    {
        (outcome.accepted() ? out : err).println("  " + outcome);
    }

    private static ConfigNode child(final ConfigNode parent, final String name)
    {
        final ConfigNode existing = parent.child(name);
        return existing != null ? existing : parent.addChild(name, 0);
    }

    private static void put(final ConfigNode node, final String key, final Object value)
    {
        if (value != null)
        {
            node.put(key, value instanceof Integer i ? Long.valueOf(i) : value, 0);
        }
    }

    private static void awaitQuietly(final CountDownLatch done)
    {
        try
        {
            done.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException e)
        {
            // the JVM is already shutting down: the hook is running and waits for this run to finish
        }
    }
}
