package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigException;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code Correlator} and {@code VisibilityWriter} stages on scripted sample frames: integrations spanning frames
 * and within frames, lost cells and missing frames counted per (integration, frequency), sums equal to the oracle
 * over exactly the bytes the frames held, {@code check} errors, the backend choice and {@code /visibilities/latest}.
 */
class CorrelatorTest
{
    private static final int T = 64;
    private static final int PER_BLOCK = 5;       // 4 blocks x 5 = 20 real inputs, padded to 128
    private static final int N = 4 * PER_BLOCK;

    @TempDir
    Path dir;

    private String config(final long samplesPerIntegration, final int frames, final long firstFrame,
        final String lost, final String skip, final String backend)
    {
        return """
            profile: chime
            inputs_per_packet: %d
            samples_per_frame: %d
            threading_mode: shared
            samples:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 4 * %d * 128
            vis:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 4096 + 4 * %d * 16
              hugepages: "off"
            source:
              kotekan_stage: ScriptedSampleSource
              out_buf: samples
              frames: %d
              first_frame: %d
              lost: %s
              skip_frames: %s
            correlator:
              kotekan_stage: Correlator
              in_buf: samples
              out_buf: vis
              samples_per_integration: %d
              backend: %s
            writer:
              kotekan_stage: VisibilityWriter
              in_buf: vis
              output_dir: %s
              integrations_per_file: 2
            """.formatted(PER_BLOCK, T, T, N * (N + 1) / 2, frames, firstFrame, lost, skip, samplesPerIntegration,
            backend, dir.resolve("out"));
    }

    private Pipeline run(final String yaml, final EndpointRegistry endpoints) throws Exception
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(yaml, "test.yaml", errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        errors.throwIfAny();
        pipeline.start(metrics, endpoints);
        return pipeline;
    }

    private List<VisibilityChunk> runToFiles(final String yaml) throws Exception
    {
        final Pipeline pipeline = run(yaml, new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(30)));
        pipeline.stop();
        assertEquals(null, pipeline.failure());
        final List<VisibilityChunk> chunks = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("out")).sorted())
        {
            for (final Path file : files.toList())
            {
                assertTrue(file.getFileName().toString().matches("vis_\\d+\\.h5"), "no .partial left: " + file);
                chunks.add(VisibilityFileReader.read(file));
            }
        }
        chunks.sort((a, b) -> Long.compare(a.timeFpga()[0], b.timeFpga()[0]));
        return chunks;
    }

    /** The oracle over the bytes the source wrote (lost cells and missing frames are zero). */
    private static long[][] oracle(final long start, final long samples, final int freq, final long firstFrame,
        final int frames, final long[] lost, final long[] skip)
    {
        final MemorySegment rows = MemorySegment.ofArray(new byte[(int)samples * N]);
        rows.fill((byte)0x88);
        for (long seq = start; seq < start + samples; seq++)
        {
            final long frame = Math.floorDiv(seq, T) - firstFrame;
            if (frame < 0 || frame >= frames || java.util.Arrays.stream(skip).anyMatch(s -> s == frame))
            {
                continue;
            }
            final int row = (int)(seq % T) / 2;
            for (int i = 0; i < N; i++)
            {
                if (!ScriptedSampleSource.isLost(lost, (int)frame, row, freq, i / PER_BLOCK))
                {
                    rows.set(JAVA_BYTE, (seq - start) * N + i, ScriptedSampleSource.sample(seq, freq, i));
                }
            }
        }
        return ScalarCorrelator.correlate(rows, N, N, (int)samples);
    }

    private static void assertIntegrations(final List<VisibilityChunk> files, final long spi, final long firstFrame,
        final int frames, final long[] lost, final long[] skip, final Map<Long, long[]> expectedLost,
        final int expectedCount)
    {
        int count = 0;
        for (final VisibilityChunk file : files)
        {
            assertEquals(N, file.numInputs());
            assertArrayEquals(ScriptedSampleSource.FREQ_IDS, file.freqIds());
            assertEquals("cpu", file.backend());
            for (int t = 0; t < file.numTimes(); t++)
            {
                final long start = file.timeFpga()[t];
                assertEquals(0, start % spi, "integrations are aligned to their length");
                for (int f = 0; f < 4; f++)
                {
                    assertEquals(expectedLost.getOrDefault(start, new long[4])[f], file.lostSamples()[t][f],
                        "lost samples at " + start + ", freq " + f);
                    assertArrayEquals(oracle(start, spi, f, firstFrame, frames, lost, skip), file.vis()[t][f],
                        "sums at " + start + ", freq " + f);
                }
                count++;
            }
        }
        assertEquals(expectedCount, count);
    }

    @Test
    void shouldIntegrateAcrossFramesAndCountLostCellsAndMissingFrames() throws Exception
    {
        // frames 0..7 of 64 samples, integrations of 128: frame 5 never arrives, two cells lost in frame 2
        final long[] lost = {2, 3, 1, 0, 2, 3, 1, 2, 2, 10, 3, 3};
        final long[] skip = {5};
        final List<VisibilityChunk> files = runToFiles(config(2 * T, 8, 0, "[2, 3, 1, 0, 2, 3, 1, 2, 2, 10, 3, 3]",
            "[5]", "cpu"));
        final Map<Long, long[]> expectedLost = new HashMap<>();
        expectedLost.put(128L, new long[] {0, 2, 0, 2});       // row 3 of freq 1 (two blocks: counted once), row 10
        expectedLost.put(256L, new long[] {T, T, T, T});       // frame 5 missing
        assertIntegrations(files, 2 * T, 0, 8, lost, skip, expectedLost, 4);
    }

    @Test
    void shouldSplitFramesIntoSeveralIntegrationsAndJoinMidway() throws Exception
    {
        // integrations of 16 samples inside frames 3.. (first frame 3); a lost cell at row 9 (samples 18, 19)
        final long[] lost = {0, 9, 0, 1};
        final List<VisibilityChunk> files = runToFiles(config(T / 4, 2, 3, "[0, 9, 0, 1]", "[]", "cpu"));
        final Map<Long, long[]> expectedLost = new HashMap<>();
        expectedLost.put(3L * T + 16, new long[] {2, 0, 0, 0});
        assertIntegrations(files, T / 4, 3, 2, lost, new long[0], expectedLost, 8);

        // integrations of 4 frames joined at frame 3 (of integration 0..3): 3 frames unseen, and the run's end
        Files.walk(dir.resolve("out")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
        final List<VisibilityChunk> joined = runToFiles(config(4 * T, 2, 3, "[]", "[]", "cpu"));
        final Map<Long, long[]> joinedLost = new HashMap<>();
        joinedLost.put(0L, new long[] {3 * T, 3 * T, 3 * T, 3 * T});
        joinedLost.put(4L * T, new long[] {3 * T, 3 * T, 3 * T, 3 * T});  // the run ended after one frame of it
        assertIntegrations(joined, 4 * T, 3, 2, new long[0], new long[0], joinedLost, 2);
    }

    @Test
    void shouldFeedTheLastFrameBeforeStoppingWhenTheWriterIsBehind() throws Exception
    {
        // 16 integrations per frame into a 1-frame visibility buffer: the correlator waits for the writer on every
        // integration, also after the source's last frame (end of stream)
        final String yaml = config(T / 16, 3, 0, "[]", "[]", "cpu").replace("vis:\n  kotekan_buffer: standard\n" +
            "  num_frames: 4", "vis:\n  kotekan_buffer: standard\n  num_frames: 1");
        assertTrue(yaml.contains("num_frames: 1"), yaml);
        final List<VisibilityChunk> files = runToFiles(yaml);
        assertIntegrations(files, T / 16, 0, 3, new long[0], new long[0], Map.of(), 48);
    }

    @Test
    void shouldRejectAnIntegrationLengthThatIsNeitherMultipleNorDivisorOfTheFrame()
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(config(96, 1, 0, "[]", "[]", "cpu"), "test.yaml", errors);
        PipelineBuilder.build(root, StageRegistry.discover(), MetricsRegistry.inMemory(), errors);
        assertTrue(errors.list().toString().contains("samples_per_integration must be a multiple or a divisor of " +
            "samples_per_frame (64), found 96"), errors.list().toString());
        assertEquals(1, errors.size(), "one mistake, one error: " + errors.list());
        final ConfigErrors unknown = new ConfigErrors();
        PipelineBuilder.build(YamlConfigLoader.parse(config(64, 1, 0, "[]", "[]", "fpga"), "test.yaml", unknown),
            StageRegistry.discover(), MetricsRegistry.inMemory(), unknown);
        assertTrue(unknown.list().toString().contains("unknown backend 'fpga'"), unknown.list().toString());
    }

    /** Why cuda cannot run here: not in the build, or its provider's own sentence (no driver, no device). */
    private static String cudaUnavailable()
    {
        final CorrelatorBackendProvider cuda = CorrelatorBackends.discover().find(CorrelatorBackends.CUDA);
        return cuda == null ? "backend: cuda is not in this build" : cuda.unavailableReason();
    }

    @Test
    void shouldFailWhenTheFramesMetadataDescribesAnotherShape() throws Exception
    {
        final Pipeline pipeline = run(config(T, 2, 0, "[]", "[]", "cpu").replace("skip_frames: []",
            "skip_frames: []\n  metadata_freqs: 2"), new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(30)));
        pipeline.stop();
        assertTrue(pipeline.failure().contains("a sample frame's metadata says 2 freqs x 64 samples x 128 inputs, " +
            "this correlator is configured for 4 x 64 x 128"), pipeline.failure());
    }

    @Test
    void shouldRefuseToStartCudaWithoutAGpuBackendAndSaySo()
    {
        final String reason = cudaUnavailable();
        assumeTrue(reason != null, "this machine can run the cuda backend");
        final RuntimeException e = assertThrows(RuntimeException.class, () ->
            run(config(T, 2, 0, "[]", "[]", "cuda"), new EndpointRegistry()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(!(e instanceof ConfigException), "a start failure, not a config error");
    }

    @Test
    void shouldChooseCpuForAutoWithoutAGpuBackendAndSayWhy() throws Exception
    {
        final String reason = cudaUnavailable();
        assumeTrue(reason != null, "this machine can run the cuda backend");
        final Pipeline pipeline = run(config(T, 2, 0, "[]", "[]", "auto"), new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(30)));
        final String status = pipeline.status().toString();
        pipeline.stop();
        assertTrue(status.contains(CorrelatorBackends.discover().find(CorrelatorBackends.CUDA) == null ?
            "auto: cpu (this build has no cuda backend)" : "auto: cpu (" + reason + ")"), status);
    }

    @Test
    void shouldServeTheLatestIntegrationOfOneFrequency() throws Exception
    {
        final EndpointRegistry endpoints = new EndpointRegistry();
        // many frames so the pipeline still runs when the endpoint is asked
        final Pipeline pipeline = run(config(T, 100_000_000, 0, "[]", "[]", "cpu"), endpoints);
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (pipeline.stage("/correlator").statusLine().contains("; 0 integrations") && System.nanoTime() < deadline)
        {
            Thread.sleep(10);  // the frame's freq ids are known once an integration has finished
        }
        final EndpointRegistry.Match match = endpoints.find("GET", "/visibilities/latest");
        final RestException missing = assertThrows(RestException.class, () -> match.endpoint().handler().handle(
            new RestRequest("GET", "/visibilities/latest", Map.of(), Map.of("freq_id", "8"), new byte[0])));
        assertEquals(404, missing.status());
        final RestException bad = assertThrows(RestException.class, () -> match.endpoint().handler().handle(
            new RestRequest("GET", "/visibilities/latest", Map.of(), Map.of("freq_id", "x"), new byte[0])));
        assertEquals(400, bad.status());
        final RestResponse response = match.endpoint().handler().handle(new RestRequest("GET",
            "/visibilities/latest", Map.of(), Map.of("freq_id", "107"), new byte[0]));
        pipeline.requestStop();
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(30)));
        pipeline.stop();
        final var json = org.kotekanj.rest.Json.MAPPER.readTree(response.body());
        assertEquals(107, json.get("freq_id").asInt());
        assertEquals(N, json.get("num_inputs").asInt());
        assertEquals(T, json.get("samples").asInt());
        assertEquals("/correlator", json.get("stage").asText());
        final long start = json.get("first_sample").asLong();
        final long[][] expected = oracle(start, T, 1, 0, 100_000_000, new long[0], new long[0]);
        assertEquals(expected.length, json.get("re").size());
        for (int p = 0; p < expected.length; p++)
        {
            assertEquals(expected[p][0], json.get("re").get(p).asLong());
            assertEquals(expected[p][1], json.get("im").get(p).asLong());
        }
    }

}
