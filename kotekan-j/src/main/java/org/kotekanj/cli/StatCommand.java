package org.kotekanj.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.agrona.concurrent.status.CountersReader;
import org.kotekanj.status.CountersFile;
import org.kotekanj.status.PrometheusWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kotekan-j stat}: reads a running instance's counters file (memory-mapped, read-only), so it works even when
 * the REST server is disabled or the process is too busy to answer.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show the counters of a running kotekan-j process, read from its counters file.")
public final class StatCommand implements Callable<Integer>
{
    @Option(names = "--counters-dir", description = "directory of counters files (default /dev/shm/kotekan-j)")
    Path directory = CountersFile.defaultDirectory();

    @Option(names = "--instance", description = "instance name (default: the only running one)")
    String instance;

    @Option(names = "--filter", description = "only series whose name or labels contain this text")
    String filter;

    @Option(names = "--prometheus", description = "print in Prometheus text format")
    boolean prometheus;

    @Option(names = "--watch", paramLabel = "SECONDS", description = "repeat every SECONDS until interrupted")
    Double watch;

    @Option(names = "--view", description = "the operator's view, refreshing (every --watch seconds, default 1): " +
        "per-link rates and loss, buffers, correlator, baseband ring")
    boolean view;

    @Override
    public Integer call() throws InterruptedException
    {
        final Path file;
        if (instance != null)
        {
            file = directory.resolve(instance + ".counters");
        }
        else
        {
            final List<Path> live = CountersFile.findLive(directory);
            if (live.isEmpty())
            {
                System.err.println("no running kotekan-j instance has counters in " + directory);
                return 1;
            }
            if (live.size() > 1)
            {
                System.err.println("several instances are running; choose one with --instance:");
                live.forEach(p -> System.err.println("  " + p.getFileName().toString().replace(".counters", "")));
                return 1;
            }
            file = live.get(0);
        }
        try (CountersFile counters = CountersFile.open(file))
        {
            if (view)
            {
                return view(counters);
            }
            do
            {
                print(counters);
                if (watch != null)
                {
                    Thread.sleep((long)(watch * 1000));
                }
            }
            while (watch != null && counters.isAlive());
            return 0;
        }
        catch (final IllegalStateException e)
        {
            System.err.println("cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Redraws one screen per interval: on a terminal from the top (ANSI home + clear, which every ssh client
     * understands), into a pipe or a log one screen after the other.
     */
    private int view(final CountersFile counters) throws InterruptedException
    {
        final double seconds = watch != null ? watch : 1.0;
        final boolean terminal = System.console() != null;
        List<PrometheusWriter.Sample> before = null;
        long beforeMs = 0;
        while (true)
        {
            final long nowMs = System.currentTimeMillis();
            final List<PrometheusWriter.Sample> now = PrometheusWriter.samples(counters.reader());
            final String header = counters.instance() + " (pid " + counters.pid() + ", " +
                (counters.isAlive() ? "running" : "not running") + ")";
            final String screen = StatView.render(header, nowMs, now, before, (nowMs - beforeMs) / 1000.0);
            System.out.print(terminal ? "\033[H\033[2J" + screen : screen + "\n");
            System.out.flush();
            if (!counters.isAlive())
            {
                return 0;
            }
            before = now;
            beforeMs = nowMs;
            Thread.sleep((long)(seconds * 1000));
        }
    }

    private void print(final CountersFile counters)
    {
        final CountersReader reader = counters.reader();
        if (prometheus)
        {
            final StringBuilder out = new StringBuilder();
            PrometheusWriter.write(reader, out);
            out.toString().lines().filter(l -> filter == null || l.startsWith("#") || l.contains(filter))
                .forEach(System.out::println);
            return;
        }
        System.out.printf("%s (pid %d, %s), heartbeat %s%n", counters.instance(), counters.pid(),
            counters.isAlive() ? "running" : "not running", Instant.ofEpochMilli(counters.heartbeatMs()));
        // The values /metrics shows (histogram buckets cumulative, durations in seconds), one series a line.
        for (final PrometheusWriter.Sample sample : PrometheusWriter.samples(reader))
        {
            if (filter == null || sample.label().contains(filter))
            {
                System.out.printf("%-100s %s%n", sample.label(), sample.text());
            }
        }
    }
}
