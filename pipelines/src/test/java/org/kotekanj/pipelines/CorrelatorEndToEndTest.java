package org.kotekanj.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kotekanj.cli.Main;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigOverrides;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.correlator.VisibilityFileReader;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.SimulatedNode;
import org.kotekanj.sim.answers.ExpectedVisibility;
import org.kotekanj.sim.answers.VisibilityCalculator;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.util.FrameSink;
import org.kotekanj.status.MetricsRegistry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The correlator end to end: {@code FengineSimulator} sends a node's packets over UDP loopback with impairments and a
 * ground-truth log; {@code FengineReceiver} places them; {@code Correlator} (CPU) integrates; {@code VisibilityWriter}
 * writes HDF5 files. Every integration must equal, bit for bit, an independent answer: the {@code expected vis} file
 * where nothing was lost, and where samples were lost the oracle's sums over the signal with exactly the cells the
 * ground truth dropped set to zero; every lost-sample count must equal what the ground truth implies.
 */
class CorrelatorEndToEndTest
{
    private static final int S = 2;
    private static final int T = 256;
    private static final int STEPS = 2048;

    /** A CHIME node (4 links, 4 frequencies), reduced by {@link #REDUCED} to 16 inputs per packet: 64 inputs. */
    private static final String CHIME = """
        profile: chime
        slot: 5
        link: 2
        crate_parity: 1
        """;
    /** The {@code --set} overrides that reduce a CHIME node to a size tests correlate quickly. */
    private static final List<String> REDUCED = List.of("inputs_per_packet=16");
    /** One 16-input board reduced to 4 frequencies per packet: 8 links x 4 = 32 frequencies. */
    private static final String BOARD = """
        profile: single-board
        freqs_per_packet: 4
        crate: 1
        slot: 2
        """;

    @TempDir
    Path dir;

    static Stream<Arguments> cases()
    {
        return Stream.of(
            Arguments.of("walsh, clean, 2 frames per integration", CHIME, "{type: walsh, seed: 3}", "{}", 512),
            Arguments.of("const, reorder + duplicates, 2 integrations per frame", CHIME,
                "{type: const, real: -7, imag: 5}", "{reorder: {rate: 0.02, window: 8}, duplicate: {rate: 0.01}}",
                128),
            Arguments.of("onehot, loss", CHIME, "{type: onehot, input: 37, real: 3, imag: -2}",
                "{loss: {rate: 0.001}}", 512),
            Arguments.of("random, loss + reorder + duplicates", CHIME, "{type: random, seed: 5}",
                "{loss: {rate: 0.002}, reorder: {rate: 0.01, window: 8}, duplicate: {rate: 0.005}}", 256),
            Arguments.of("single-board, walsh, loss", BOARD, "{type: walsh, seed: 2}", "{loss: {rate: 0.003}}",
                1024));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldWriteExactlyTheVisibilitiesOfWhatArrived(final String name, final String node, final String signal,
        final String impairments, final int samplesPerIntegration) throws Exception
    {
        final Run run = run(node, signal, impairments, samplesPerIntegration);
        final Truth truth = Truth.read(run.truth);
        final List<VisibilityChunk> files = run.files();
        int integrations = 0;
        int exactWithExpected = 0;
        final Map<Long, VisibilityChunk> cache = new HashMap<>();
        for (final VisibilityChunk file : files)
        {
            assertEquals("cpu", file.backend());
            assertEquals(samplesPerIntegration, file.samplesPerIntegration());
            assertEquals(run.node.numInputs(), file.numInputs());
            for (int t = 0; t < file.numTimes(); t++)
            {
                final long start = file.timeFpga()[t];
                for (int f = 0; f < file.numFreqs(); f++)
                {
                    final int freqId = file.freqIds()[f];
                    final Set<Long> lost = truth.lostSamples(freqId, start, samplesPerIntegration);
                    assertEquals(lost.size(), file.lostSamples()[t][f], name + ": lost samples of freq_id " + freqId +
                        " at " + start);
                    final long[][] expected = lost.isEmpty() ?
                        expected(run, start, samplesPerIntegration, freqId, cache) :
                        oracle(run.node, truth, freqId, start, samplesPerIntegration);
                    exactWithExpected += lost.isEmpty() ? 1 : 0;
                    assertArrayEquals(expected, file.vis()[t][f], name + ": freq_id " + freqId + " at " + start);
                }
                integrations++;
            }
        }
        assertEquals(STEPS * S / samplesPerIntegration, integrations, "every integration was written");
        assertTrue(exactWithExpected > 0, "some integrations are compared with expected vis");
        if (impairments.contains("loss"))
        {
            assertTrue(truth.dropped.size() > 0, "the ground truth dropped packets");
        }
    }

    @Test
    void shouldAgreeWithTheGaussianExpectationWithinItsToleranceAndOpenWithH5pyAndH5dump() throws Exception
    {
        final Run run = run(CHIME, "{type: gaussian, seed: 4}", "{}", 1024);
        final List<Path> paths = run.paths();
        assertEquals(2, paths.size(), "4096 samples, 2 integrations per file");
        for (final Path file : paths)
        {
            assertEquals(0, Main.commandLine().execute("verify", run.config.toString(), "--node", "/simulator",
                "--set", REDUCED.get(0), file.toString()), "verify " + file);
            final String h5py = ExternalRun.output("/usr/bin/python3", "-c", """
                import h5py, sys
                f = h5py.File(sys.argv[1], 'r')
                backend = f.attrs['backend']
                print(f['vis'].shape, f['vis'].dtype, f['lost_samples'].shape, f['index_map/prod'].shape,
                      backend.decode() if isinstance(backend, bytes) else backend, int(f.attrs['ninput']),
                      int(f.attrs['n_samples_per_integration']))
                """, file.toString());
            assertEquals("(2, 4, 2080, 2) int64 (2, 4) (2080, 2) cpu 64 1024", h5py.strip());
            final String dump = ExternalRun.output("h5dump", "-H", file.toString());
            assertTrue(dump.contains("DATASET \"vis\"") && dump.contains("H5T_STD_I64LE") &&
                dump.contains("( 2, 4, 2080, 2 )"), dump);
        }
    }

    /** What one pipeline run left behind. */
    private record Run(Path config, List<String> overrides, Path truth, Path output, SimulatedNode node)
    {
        List<Path> paths() throws IOException
        {
            final List<Path> paths = new ArrayList<>();
            try (DirectoryStream<Path> found = Files.newDirectoryStream(output, "vis_*.h5"))
            {
                found.forEach(paths::add);
            }
            paths.sort(null);
            return paths;
        }

        List<VisibilityChunk> files() throws IOException
        {
            final List<VisibilityChunk> chunks = new ArrayList<>();
            for (final Path path : paths())
            {
                chunks.add(VisibilityFileReader.read(path));
            }
            return chunks;
        }
    }

    private Run run(final String node, final String signal, final String impairments,
        final int samplesPerIntegration) throws Exception
    {
        final int links = node.contains("single-board") ? 8 : 4;
        final List<Integer> ports = FreeUdpPorts.take(links);
        final List<String> destinations = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        final Path truth = dir.resolve("truth.jsonl");
        final Path output = dir.resolve("vis");
        final int inputs = 128;  // padded: 64 (chime, reduced) or 16 (single board) real inputs
        final int freqs = node.contains("single-board") ? 32 : 4;
        final String yaml = node + """
            signal: %s
            samples_per_frame: %d
            threading_mode: dedicated
            samples:                     # the whole run fits: a slow first file write never backs up the receiver
              kotekan_buffer: standard
              num_frames: 32
              frame_size: %d * %d * %d
            visibilities:
              kotekan_buffer: standard
              num_frames: 32
              frame_size: 1024 + %d * 64 * 65 / 2 * 16
              hugepages: "off"
            simulator:
              kotekan_stage: FengineSimulator
              log_level: warn
              destinations: %s
              rate: x0.05
              count: %d
              seed: 11
              ground_truth: %s
              impairments: %s
            receiver:
              kotekan_stage: FengineReceiver
              log_level: warn
              out_buf: samples
              source: recvmmsg
              bind_address: 127.0.0.1
              ports: %s
              window_frames: 2
              idle_publish_ms: 500
              finish_after_idle_seconds: 1
            correlator:
              kotekan_stage: Correlator
              log_level: warn
              in_buf: samples
              out_buf: visibilities
              samples_per_integration: %d
              backend: cpu
            writer:
              kotekan_stage: VisibilityWriter
              log_level: warn
              in_buf: visibilities
              output_dir: %s
              integrations_per_file: 2
            order:                       # what the correlator was given: every frame once, in time order
              kotekan_stage: FrameSink
              in_buf: samples
            """.formatted(signal, T, freqs, T, inputs, freqs, destinations, STEPS, truth, impairments, ports,
            samplesPerIntegration, output);
        final Path config = dir.resolve("pipeline.yaml");
        Files.writeString(config, yaml);
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(yaml, "pipeline.yaml", errors);
        final List<String> overrides = node.contains("profile: chime") ? REDUCED : List.of();
        ConfigOverrides.apply(root, overrides, errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        errors.throwIfAny();
        pipeline.start(metrics, new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(60)), "the simulator stops and the pipeline drains");
        final FrameSink order = (FrameSink)pipeline.stage("/order");
        pipeline.stop();
        assertEquals(null, pipeline.failure());
        assertTrue(order.frames() > 0, "frames published");
        assertEquals(0, order.outOfOrder(), "every frame once, strictly in time order (first_seq increases)");
        final String prometheus = metrics.prometheus();
        for (final String line : prometheus.split("\n"))
        {
            // (duplicates sent after their frame was published count as too old, and lose nothing)
            if (line.startsWith("kotekan_rx_socket_drops_total"))
            {
                assertTrue(line.endsWith(" 0"), "loopback delivered every datagram: " + line);
            }
        }
        assertTrue(prometheus.contains("kotekan_corr_integrations_total{stage_name=\"/correlator\"} " +
            STEPS * S / samplesPerIntegration), prometheus);
        final SimulatedNode simulated = SimulatedNode.read(new StageConfig(root.find("/simulator"), errors));
        return new Run(config, overrides, truth, output, simulated);
    }

    /** {@code kotekan-j expected vis} for one integration (every frequency, one file), read back from its file. */
    private long[][] expected(final Run run, final long start, final int samples, final int freqId,
        final Map<Long, VisibilityChunk> cache) throws IOException
    {
        VisibilityChunk chunk = cache.get(start);
        if (chunk == null)
        {
            final Path out = dir.resolve("expected-" + start);
            final List<String> args = new ArrayList<>(List.of("expected", "vis", run.config.toString(), "--node",
                "/simulator", "--start", Long.toString(start), "--samples-per-integration", Integer.toString(samples),
                "-o", out.toString()));
            run.overrides.forEach(o -> args.addAll(List.of("--set", o)));
            assertEquals(0, Main.commandLine().execute(args.toArray(String[]::new)));
            chunk = VisibilityFileReader.read(out.resolve("vis_" + start + ".h5"));
            cache.put(start, chunk);
        }
        for (int f = 0; f < chunk.numFreqs(); f++)
        {
            if (chunk.freqIds()[f] == freqId)
            {
                return chunk.vis()[0][f];
            }
        }
        throw new AssertionError("expected vis has no freq_id " + freqId);
    }

    /**
     * The oracle: the simulator's brute-force sums of the signal with the cells the ground truth dropped set to zero
     * ({@code 0x88}), i.e. of exactly what should have arrived.
     */
    private static long[][] oracle(final SimulatedNode node, final Truth truth, final int freqId, final long start,
        final int samples)
    {
        final int perBlock = node.geometry().inputsPerPacket();
        final SampleSignal signal = node.signal();
        final SampleSignal arrived = (seq, freq, input) -> truth.isDropped(input / perBlock, freq, seq) ? (byte)0x88 :
            signal.sample(seq, freq, input);
        final ExpectedVisibility expected = new VisibilityCalculator(arrived, node.numInputs(), true)
            .expected(freqId, start, samples);
        final long[][] sums = new long[expected.real().length][];
        for (int p = 0; p < sums.length; p++)
        {
            sums[p] = new long[] {expected.real()[p], expected.imag()[p]};
        }
        return sums;
    }

    /** The packets the simulator dropped on purpose, from its ground-truth log. */
    private static final class Truth
    {
        /** (input block, freq_id) -> first seqs of dropped packets. */
        final Map<String, Set<Long>> dropped = new HashMap<>();

        static Truth read(final Path file) throws IOException
        {
            final Truth truth = new Truth();
            final Map<Integer, JsonNode> streams = new HashMap<>();
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                final JsonNode event = Json.parse(line);
                switch (event.get("event").asText())
                {
                    case "start" -> event.get("streams").forEach(s -> streams.put(s.get("stream_id").asInt(), s));
                    case "drop" ->
                    {
                        final JsonNode stream = streams.get(event.get("stream_id").asInt());
                        for (final JsonNode freqId : stream.get("freq_ids"))
                        {
                            truth.dropped.computeIfAbsent(stream.get("input_block").asInt() + "/" + freqId.asInt(),
                                k -> new HashSet<>()).add(event.get("seq").asLong());
                        }
                    }
                    case "end", "duplicate", "reorder" ->
                    {
                    }
                    default -> throw new IllegalStateException("this test does not model " + line);
                }
            }
            return truth;
        }

        boolean isDropped(final int block, final int freqId, final long seq)
        {
            final Set<Long> seqs = dropped.get(block + "/" + freqId);
            return seqs != null && seqs.contains(Math.floorDiv(seq, S) * S);
        }

        /** Samples of the integration for which any input block of the frequency was dropped. */
        Set<Long> lostSamples(final int freqId, final long start, final int samples)
        {
            final Set<Long> lost = new HashSet<>();
            for (final Map.Entry<String, Set<Long>> entry : dropped.entrySet())
            {
                if (entry.getKey().endsWith("/" + freqId))
                {
                    for (final long seq : entry.getValue())
                    {
                        for (long s = seq; s < seq + S; s++)
                        {
                            if (s >= start && s < start + samples)
                            {
                                lost.add(s);
                            }
                        }
                    }
                }
            }
            return lost;
        }
    }

    /** Runs an external reader (h5py, h5dump) and returns its output; a non-zero exit fails the test. */
    private static final class ExternalRun
    {
        static String output(final String... command) throws IOException, InterruptedException
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + List.of(command));
            assertEquals(0, process.exitValue(), List.of(command) + " failed:\n" + text);
            return text;
        }
    }
}
