package org.kotekanj.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.NativeException;
import org.kotekanj.nativeio.UdpSocket;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.send.SendReport;
import org.kotekanj.sim.send.SimulatorRun;

/**
 * The sender benchmark: the simulator's sender against the C reference ({@code shared/bench/fpeer.c}, {@code fpeer
 * send}), same chime geometry, same links, same time, to the same loopback sink sockets (bound here, so no one
 * else's port gets the traffic), rotating which goes first, and prints each run and the medians side by side: fpeer,
 * the simulator with one message per datagram (as fpeer sends), and the simulator with UDP GSO (its default).
 *
 * <pre>
 * SenderVsFpeer FPEER [--seconds S] [--repeats N] [--signal const|tpluse] [--transport sendmmsg|nio]
 * </pre>
 *
 * One chime node: 4 links. Both report the sample payload rate as Gb/s (fpeer's measure); packets/s is the
 * figure to compare. fpeer rewrites only the header and one byte in 64 of each payload; the simulator writes every
 * sample from its signal, so {@code const} (a fill) measures the sending machinery and {@code tpluse} adds the
 * signal's cost.
 */
public final class SenderVsFpeer
{
    private static final Pattern FPEER_LINE = Pattern.compile("send pkts=(\\d+) rate=(\\d+) kpps ([0-9.]+) Gb/s");
    private static final int SINK_BUFFER_BYTES = 1 << 20;
    private static final int LINKS = 4;

    private SenderVsFpeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            System.err.println("usage: SenderVsFpeer FPEER [--seconds S] [--repeats N] [--signal const|tpluse] " +
                "[--transport sendmmsg|nio]");
            System.exit(2);
        }
        final Path fpeer = Path.of(args[0]);
        double seconds = 3;
        int repeats = 5;
        String signal = "const";
        String transport = "sendmmsg";
        for (int i = 1; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                case "--signal" -> signal = args[i + 1];
                case "--transport" -> transport = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (seconds <= 0 || seconds > 30 || repeats < 1 || repeats > 20)
        {
            throw new IllegalArgumentException("seconds must be in (0, 30] and repeats in 1..20");
        }
        final List<UdpSocket> sinks = bindSinks(LINKS);
        try (MmsgBatch drain = new MmsgBatch(MmsgBatch.MAX_MESSAGES, 8192, 0))
        {
            final int port = sinks.getFirst().localAddress().getPort();
            System.out.printf(Locale.ROOT, "chime profile (4886-byte datagrams), %d links to 127.0.0.1:%d-%d, %.1f s " +
                "per run, %d runs, our signal %s, transport %s%n", LINKS, port, port + LINKS - 1, seconds, repeats,
                signal, transport);
            runOurs(port, Math.min(seconds, 1.0), signal, transport, true);
            final String[] names = {"fpeer", "kotekan-j", "kotekan-j+gso"};
            final double[][] pps = new double[names.length][repeats];
            final double[][] gbps = new double[names.length][repeats];
            for (int r = 0; r < repeats; r++)
            {
                final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "run %d:", r + 1));
                for (int turn = 0; turn < names.length; turn++)
                {
                    final int who = (turn + r) % names.length;
                    drainAll(sinks, drain);
                    if (who == 0)
                    {
                        final double[] result = runFpeer(fpeer, port, seconds);
                        pps[0][r] = result[0];
                        gbps[0][r] = result[1];
                    }
                    else
                    {
                        final SendReport report = runOurs(port, seconds, signal, transport, who == 2);
                        pps[who][r] = report.datagramsPerSecond();
                        gbps[who][r] = report.sampleGigabitsPerSecond();
                    }
                }
                for (int who = 0; who < names.length; who++)
                {
                    line.append(String.format(Locale.ROOT, " | %s %8.0f pkt/s %6.2f Gb/s", names[who], pps[who][r],
                        gbps[who][r]));
                }
                System.out.println(line);
            }
            final StringBuilder summary = new StringBuilder("median:");
            for (int who = 0; who < names.length; who++)
            {
                summary.append(String.format(Locale.ROOT, " | %s %8.0f pkt/s %6.2f Gb/s (x%.2f)", names[who],
                    median(pps[who]), median(gbps[who]), median(pps[who]) / median(pps[0])));
            }
            System.out.println(summary.append(" | Gb/s: sample payload, fpeer's measure; xN: packets/s vs fpeer"));
        }
        finally
        {
            sinks.forEach(UdpSocket::close);
        }
    }

    /** Binds {@code links} consecutive loopback ports (fpeer sends to PORT..PORT+links-1). */
    private static List<UdpSocket> bindSinks(final int links)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            final List<UdpSocket> sinks = new ArrayList<>();
            try
            {
                for (int i = 0; i < links; i++)
                {
                    final UdpSocket sink = UdpSocket.open();
                    sinks.add(sink);
                    sink.setReceiveBufferSize(SINK_BUFFER_BYTES);
                    sink.bind(UdpSocket.ipv4("127.0.0.1", base + i));
                }
                return sinks;
            }
            catch (final NativeException e)
            {
                sinks.forEach(UdpSocket::close);
            }
        }
        throw new IllegalStateException("found no " + links + " consecutive free loopback ports");
    }

    private static void drainAll(final List<UdpSocket> sinks, final MmsgBatch batch)
    {
        for (final UdpSocket sink : sinks)
        {
            while (sink.receive(batch, batch.capacity()) > 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private static double[] runFpeer(final Path fpeer, final int port, final double seconds)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(fpeer.toString(), "send", Integer.toString(port), "2", "4", "512",
            "774", Integer.toString(LINKS), Double.toString(seconds)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor((long)seconds + 30, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            process.destroyForcibly();
            throw new IllegalStateException("fpeer failed: " + output);
        }
        final Matcher matcher = FPEER_LINE.matcher(output);
        if (!matcher.find())
        {
            throw new IllegalStateException("unexpected fpeer output: " + output);
        }
        return new double[] {Long.parseLong(matcher.group(2)) * 1e3, Double.parseDouble(matcher.group(3))};
    }

    private static SendReport runOurs(final int port, final double seconds, final String signal,
        final String transport, final boolean gso) throws IOException
    {
        final ConfigErrors errors = new ConfigErrors();
        final String yaml = String.format(Locale.ROOT, """
            profile: chime
            signal: {type: %s}
            destinations: 127.0.0.1:%d-%d
            rate: max
            duration_s: %s
            transport: %s
            gso: %s
            """, signal, port, port + LINKS - 1, seconds, transport, gso);
        final SimulatorConfig config = SimulatorConfig.read(new StageConfig(
            YamlConfigLoader.parse(yaml, "bench", errors), errors));
        if (!errors.isEmpty())
        {
            throw new IllegalStateException(errors.list().toString());
        }
        try (SimulatorRun run = SimulatorRun.open(config, false))
        {
            while (!run.isFinished())
            {
                run.doWork();
            }
            return run.report();
        }
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
