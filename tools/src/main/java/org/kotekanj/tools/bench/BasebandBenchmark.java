package org.kotekanj.tools.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.rest.Json;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.receive.FengineReceiver;

/**
 * Baseband dumps while the receive path ingests over loopback, in one command: the simulator sends a CHIME node's
 * four links to the receiver, whose frames are the baseband ring; then
 * <ol>
 *   <li>warm-up: {@code WARM_DUMPS} dumps as in 3, not measured (JIT compilation of the whole pipeline took a
 *       third of the 2 cores through the first seconds; a node runs for days);</li>
 *   <li>latency: {@code LATENCY_TRIGGERS} small dumps one after another, trigger received -> first byte copied
 *       (p50, p99, max; 200 by default, so that p99 is the third slowest rather than the slowest);</li>
 *   <li>throughput: {@code BIG_DUMPS} dumps of 0.04 s x 4 freqs x 2048 inputs (128 MB each), one after another,
 *       bytes / (trigger received -> done: every file's samples fsynced and the file renamed into place, by the
 *       node's own timestamps, polled every {@value #POLL_MILLIS} ms), against {@code dd oflag=direct} to the same
 *       directory while the pipeline still ingests (the same load): paired, a dd of the dump's bytes right after each
 *       dump (the median of the per-dump ratios: the disk's speed drifts by a third over seconds here), and one dd of
 *       all the dumps' bytes after the last; also bytes / (trigger -> {@code event.json} written: every file's
 *       SHA-256 known), and each dump waits for the previous one's manifest;</li>
 *   <li>loss: the receiver's lost samples and the kernel's socket drops over the whole run (must be 0).</li>
 * </ol>
 *
 * <pre>
 * BasebandBenchmark ARCHIVE_DIR [LATENCY_TRIGGERS=200] [BIG_DUMPS=6] [RATE=x0.1] [WARM_DUMPS=6]
 *                   [RECEIVER_IDLE=busy_spin]
 * </pre>
 * {@code RECEIVER_IDLE} is the receiver's {@code idle_strategy}: {@code busy_spin} (the default, as on a node whose
 * receive cores are pinned and dedicated) or a non-spinning one ({@code backoff}, {@code sleep}, {@code yield}) that
 * leaves a small machine's cores to the dump threads; lost samples and socket drops must stay 0 either way. Uses UDP
 * ports 12300-12303: run it through {@code kj-cpu bench}.
 */
public final class BasebandBenchmark
{
    private static final int SAMPLES = 2048;
    private static final long PERIOD = 2560;
    /**
     * How often a dump's status is polled. Times come from the node's own timestamps, so polling need not be fine; at
     * 5 ms (and 1 ms for the manifest) the polls' HTTP and JSON work took CPU from the dumps on 2 cores.
     */
    private static final long POLL_MILLIS = 20;

    private BasebandBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            System.err.println("usage: BasebandBenchmark ARCHIVE_DIR [LATENCY_TRIGGERS] [BIG_DUMPS] [RATE] [WARM_DUMPS] " +
                "[RECEIVER_IDLE]");
            System.exit(2);
        }
        final Path archive = Path.of(args[0]).toAbsolutePath();
        final int latencyTriggers = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        final int bigDumps = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        final String rate = args.length > 3 ? args[3] : "x0.1";
        final int warmDumps = args.length > 4 ? Integer.parseInt(args[4]) : 6;
        final String receiverIdle = args.length > 5 ? args[5] : "busy_spin";
        Files.createDirectories(archive);
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: warn
            profile: chime
            slot: 3
            link: 1
            crate_parity: 0
            signal: {type: tpluse}
            samples_per_frame: %d
            num_inputs: 2048
            gpu_input:
              kotekan_buffer: standard
              ring_seconds: 0.25
              frame_seconds: samples_per_frame * 2.56e-6
              frame_size: 4 * samples_per_frame * num_inputs
              hugepages: auto
            simulator:
              kotekan_stage: FengineSimulator
              threading_mode: dedicated
              destinations: [127.0.0.1:12300-12303]
              rate: %s
              duration_s: 600
            receiver:
              kotekan_stage: FengineReceiver
              threading_mode: dedicated
              out_buf: gpu_input
              source: recvmmsg
              bind_address: 127.0.0.1
              ports: [12300, 12301, 12302, 12303]
              window_frames: 2
              idle_strategy: %s
            baseband:
              kotekan_stage: BasebandReadout
              threading_mode: dedicated
              in_buf: gpu_input
              archive_root: %s
              max_dump_seconds: 0.1
              staging_mib: 512
            """.formatted(SAMPLES, rate, receiverIdle, archive), "baseband-bench.yaml", errors);
        errors.throwIfAny();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final ServiceOptions options = ServiceOptions.defaults().withRest(true, "127.0.0.1", 0)
            .withCounters(archive, "baseband-bench");
        try (KotekanService service = KotekanService.open(options, StageRegistry.discover(), false))
        {
            final Pipeline pipeline = service.start(root);
            final String base = "http://127.0.0.1:" + service.restPort();
            await(http, base + "/baseband/ring", ring -> ring.get("span_seconds").asDouble() >= 0.15,
                "the ring to fill");
            final String idle = idleStrategy(pipeline, "/receiver");
            long id = System.currentTimeMillis() * 1000;
            // Warm-up, not measured: a node runs for days, so measure it after its code is compiled (on 2 cores the
            // JIT took a third of the CPU through the first 10 s). The service warms its own trigger path at start.
            final long warmBegan = System.nanoTime();
            for (int i = 0; i < warmDumps; i++)
            {
                dump(http, base, id++, 19_500, 15_625);
            }
            System.out.printf("warm-up: %d dumps of 128 MB in %.2f s (not measured)%n", warmDumps,
                (System.nanoTime() - warmBegan) * 1e-9);
            final List<Double> latencies = new ArrayList<>();
            final List<String> slow = new ArrayList<>();
            for (int i = 0; i < latencyTriggers; i++)
            {
                final JsonNode done = dump(http, base, id++, 7800, 390);
                latencies.add(done.get("trigger_to_first_byte_ms").asDouble());
                if (done.get("trigger_to_first_byte_ms").asDouble() > 5)
                {
                    slow.add(String.format("#%d %.1f ms (queued %.1f, copier %.1f)", i,
                        done.get("trigger_to_first_byte_ms").asDouble(), done.get("trigger_to_queued_ms").asDouble(),
                        done.get("trigger_to_copier_ms").asDouble()));
                }
            }
            long bytes = 0;
            double seconds = 0;
            double toManifest = 0;
            final List<Double> rates = new ArrayList<>();
            final List<Double> pairedDd = new ArrayList<>();
            final List<Double> pairedRatios = new ArrayList<>();
            final List<Double> manifestRates = new ArrayList<>();
            for (int i = 0; i < bigDumps; i++)
            {
                final JsonNode done = dump(http, base, id++, 19_500, 15_625);
                final long b = done.get("total").asLong();
                // The node's own clock: trigger received -> the last file in place (no HTTP or polling in it).
                final Instant received = Instant.parse(done.get("received").asText());
                final double s = Duration.between(received, lastFinished(done)).toNanos() * 1e-9;
                bytes += b;
                seconds += s;
                rates.add(b / s / 1e9);
                final Path manifestFile = archive.resolve("bench/test_" + (id - 1)).resolve("event.json");
                final JsonNode manifested = await(http, base + "/baseband/" + (id - 1),
                    status -> !status.get("manifest_written").isNull(), "event.json of dump " + (id - 1) + " written");
                final double m = Duration.between(received, Instant.parse(manifested.get("manifest_written").asText()))
                    .toNanos() * 1e-9;
                toManifest += m;
                manifestRates.add(b / m / 1e9);
                final double paired = dd(archive.resolve("dd-" + i + ".bin"), b);
                pairedDd.add(paired);
                pairedRatios.add(b / s / 1e9 / paired);
                final JsonNode manifest = Json.parse(Files.readString(manifestFile));
                manifest.get("freqs").properties().forEach(f -> System.out.println("phases dump " + done.get("event_id")
                    .asText() + " freq " + f.getKey() + ": " + f.getValue().get("phases")));
                if (i == bigDumps - 1)
                {
                    System.out.println("last dump: received " + done.get("received").asText() + ", copied " +
                        done.get("copied").asText() + ", files finished " + done.get("freqs").findValuesAsText("finished"));
                }
            }
            final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/receiver");
            final long lost = receiver.counters().sum(ReceiveCounters.LOST_SAMPLES);
            final long packets = receiver.counters().sum(ReceiveCounters.PACKETS);
            final long drops = sum(service.metrics().prometheus(), "kotekan_rx_socket_drops_total");
            // dd runs under the same load as the dumps did: the pipeline still ingesting.
            final double dd = dd(archive.resolve("dd.bin"), bytes);
            // dd's files are deleted only now: deleting one between dumps (a file system mounted with discard) could
            // slow the next dump.
            Files.deleteIfExists(archive.resolve("dd.bin"));
            for (int i = 0; i < bigDumps; i++)
            {
                Files.deleteIfExists(archive.resolve("dd-" + i + ".bin"));
            }
            pipeline.stop();
            System.out.println("trigger latencies in order (ms): " + latencies.stream()
                .map(v -> String.format("%.1f", v)).toList());
            System.out.println("trigger slower than 5 ms, where the time went: " + slow);
            System.out.println("dump rates in order (GB/s): " + rates.stream()
                .map(v -> String.format("%.2f", v)).toList());
            System.out.println("dd right after each dump (GB/s): " + pairedDd.stream()
                .map(v -> String.format("%.2f", v)).toList());
            final double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("trigger->first byte: n=%d p50 %.3f ms, p99 %.3f ms, max %.3f ms; receiver idle %s%n",
                l.length, quantile(l, 0.5), quantile(l, 0.99), l[l.length - 1], idle);
            final double ours = bytes / seconds / 1e9;
            System.out.printf("dump write vs dd paired: median of %d per-dump ratios %.2f (each dump's bytes / trigger " +
                "to done, over a dd of the same bytes right after it); receiver idle %s%n", pairedRatios.size(),
                median(pairedRatios), idle);
            System.out.printf("dump write: %d dumps, %.1f MB, %.3f GB/s (median of dumps %.3f GB/s, trigger to done: " +
                "samples fsynced, file renamed into place, directory fsynced; the node's clock, received -> last file finished); dd oflag=direct %.3f GB/s; ratio %.2f; " +
                "receiver idle %s%n", bigDumps, bytes / 1e6, ours,
                median(rates), dd, ours / dd, idle);
            final double hashed = bytes / toManifest / 1e9;
            System.out.printf("dump to event.json: %.3f GB/s (median of dumps %.3f GB/s, trigger to event.json " +
                "written: SHA-256 of every file included; the node's clock); ratio to dd %.2f; receiver idle %s%n", hashed,
                median(manifestRates),
                hashed / dd, idle);
            System.out.printf("ingest: %d packets, %d lost samples, %d socket drops; receiver idle %s%n", packets, lost,
                drops, idle);
            if (lost != 0 || drops != 0)
            {
                throw new IllegalStateException("lost " + lost + " samples, " + drops + " socket drops");
            }
        }
    }

    /** Triggers a window ending {@code back} samples before the ring's newest sample, and waits until it is done. */
    private static JsonNode dump(final HttpClient http, final String base, final long id, final long back,
        final long length) throws Exception
    {
        final long end = get(http, base + "/baseband/ring").get("end_fpga").asLong();
        final String body = """
            {"event_id": %d, "start_fpga": %d, "duration_nano": %d, "dm": 0, "dm_error": 0,
             "file_path": "bench", "source": "test", "ref_freq_mhz": 800}""".formatted(id, end - back,
            length * PERIOD);
        final HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/baseband"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() != 202)
        {
            throw new IllegalStateException("trigger refused: " + posted.body());
        }
        return await(http, base + "/baseband/" + id, status ->
        {
            final String state = status.get("status").asText();
            if (state.equals("partial") || state.equals("error"))
            {
                throw new IllegalStateException("dump " + id + " ended " + state + ": " + status);
            }
            return state.equals("done");
        }, "dump " + id + " done");
    }

    /** Polls {@code url} every {@link #POLL_MILLIS} ms until its JSON satisfies {@code until}; fails after 60 s. */
    private static JsonNode await(final HttpClient http, final String url,
        final java.util.function.Predicate<JsonNode> until, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final JsonNode status = get(http, url);
            if (until.test(status))
            {
                return status;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    /** When the last file of an ended event was finished, by the node's clock. */
    private static Instant lastFinished(final JsonNode status)
    {
        Instant last = Instant.EPOCH;
        for (final JsonNode freq : status.get("freqs"))
        {
            final Instant finished = Instant.parse(freq.get("finished").asText());
            last = finished.isAfter(last) ? finished : last;
        }
        return last;
    }

    /** The idle strategy the stage at {@code path} runs with, as {@code GET /status} shows it. */
    private static String idleStrategy(final Pipeline pipeline, final String path)
    {
        for (final JsonNode stage : pipeline.status().get("stages"))
        {
            if (stage.get("stage_name").asText().equals(path))
            {
                return stage.get("idle_strategy").asText();
            }
        }
        throw new IllegalStateException("no stage " + path);
    }

    private static JsonNode get(final HttpClient http, final String url) throws Exception
    {
        return Json.parse(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body());
    }

    /** {@code dd if=/dev/zero of=TARGET bs=4M oflag=direct} of about {@code bytes}; GB/s (dd's own timing). */
    private static double dd(final Path target, final long bytes) throws Exception
    {
        final long count = Math.max(1, bytes / (4 << 20));
        final Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + target, "bs=4M", "count=" + count,
            "oflag=direct").redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        final Matcher m = Pattern.compile("(\\d+) bytes .* copied, ([0-9.]+) s").matcher(out);
        if (!m.find())
        {
            throw new IllegalStateException("cannot read dd's output: " + out);
        }
        return Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2)) / 1e9;
    }

    private static long sum(final String prometheus, final String metric)
    {
        long total = 0;
        for (final String line : prometheus.split("\n"))
        {
            if (line.startsWith(metric))
            {
                total += (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** The lower median, as {@link #quantile} gives it. */
    private static double median(final List<Double> values)
    {
        return quantile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
    }

    private static double quantile(final double[] sorted, final double q)
    {
        return sorted.length == 0 ? Double.NaN : sorted[(int)Math.min(sorted.length - 1,
            Math.ceil(q * sorted.length) - 1)];
    }
}
