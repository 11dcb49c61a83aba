package org.kotekanj.pipelines;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.cli.Main;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.answers.Verification;
import org.kotekanj.sim.check.SampleFrameChecker;
import org.kotekanj.sim.signal.TplusESignal;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.receive.FengineReceiver;
import org.kotekanj.stages.util.FrameSink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running node dumps baseband over HTTP while ingest goes on: simulator -> UDP loopback -> FengineReceiver ->
 * frames that are at once the baseband ring (read by BasebandReadout without gating) and the checker's input.
 * Triggers are posted to the REST server during the run; every dumped byte must equal the simulator's signal, the
 * receiver must lose nothing and the checker must find every frame good.
 */
class BasebandEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDumpTriggeredWindowsOverHttpWhileIngestLosesNothing() throws Exception
    {
        final int port = FreeUdpPorts.one();
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: warn
            threading_mode: shared
            profile: generic
            samples_per_packet: 2
            freqs_per_packet: 4
            inputs_per_packet: 512
            footer_bytes: 774
            flag_word: true
            streams: [{stream_id: 0x0101, freq_base: 40, input_block: 0}]
            signal: {type: tpluse}
            samples_per_frame: 1024
            frames:
              kotekan_buffer: standard
              ring_seconds: 0.15
              frame_seconds: samples_per_frame * 2.56e-6
              frame_size: 4 * samples_per_frame * 512
            simulator:
              kotekan_stage: FengineSimulator
              destinations: [127.0.0.1:%d]
              rate: x0.05
              duration_s: 5
            receiver:
              kotekan_stage: FengineReceiver
              threading_mode: dedicated
              out_buf: frames
              source: recvmmsg
              bind_address: 127.0.0.1
              ports: [%d]
              window_frames: 2
              idle_publish_ms: 300
              finish_after_idle_seconds: 1
            checker:
              kotekan_stage: SampleFrameChecker
              in_buf: frames
            order:                       # what the ring holds: every frame once, in time order
              kotekan_stage: FrameSink
              in_buf: frames
            baseband:
              kotekan_stage: BasebandReadout
              in_buf: frames
              archive_root: %s
              max_dump_seconds: 0.02
              staging_mib: 64
            """.formatted(port, port, dir.resolve("archive")), "baseband-e2e.yaml", errors);
        errors.throwIfAny();
        final ServiceOptions options = ServiceOptions.defaults().withRest(true, "127.0.0.1", 0)
            .withCounters(dir, "bb-e2e");
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (KotekanService service = KotekanService.open(options, StageRegistry.discover(), false))
        {
            final Pipeline pipeline = service.start(root);
            final String base = "http://127.0.0.1:" + service.restPort();
            // Wait until the ring holds a few frames, then trigger three windows around its newest samples.
            final long deadline = System.nanoTime() + 30_000_000_000L;
            final JsonNode ring = BasebandHttp.await(http, base + "/baseband/ring",
                r -> r.get("end_fpga").asLong() >= 20 * 1024, deadline);
            assertTrue(ring.get("end_fpga").asLong() >= 20 * 1024, ring.toString());
            final long end = ring.get("end_fpga").asLong();
            final List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final String body = """
                    {"event_id": %d, "start_fpga": %d, "duration_nano": %d, "dm": 0.5, "dm_error": 0.1,
                     "file_path": "e2e", "source": "test"}""".formatted(100 + i, end - 3000 + 1500 * i, 2000 * 2560);
                BasebandHttp.trigger(http, base, body);
                ids.add(100L + i);
            }
            // The scientist's command: posts, follows, prints where the files are.
            final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            final java.io.PrintStream oldOut = System.out;
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            final int exit;
            try
            {
                final long now = BasebandHttp.get(http, base + "/baseband/ring").get("end_fpga").asLong();
                exit = Main.commandLine().execute("trigger", "--node", base, "--event-id", "103", "--start-fpga",
                    Long.toString(now + 1000), "--duration-ms", "2", "--dm", "0.3", "--dm-error", "0.05",
                    "--file-path", "e2e", "--source", "test");
            }
            finally
            {
                System.setOut(oldOut);
            }
            final String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, exit, text + BasebandHttp.get(http, base + "/baseband/103") +
                BasebandHttp.get(http, base + "/baseband/ring"));
            assertTrue(text.contains("files: {archive_root}/e2e/test_103 (4 files, 0 not done; event.json beside them)"),
                text);
            assertTrue(Files.exists(dir.resolve("archive/e2e/test_103/event.json")), "the command waits for event.json");
            ids.add(103L);
            final List<JsonNode> ended = new ArrayList<>();
            for (final long id : ids)
            {
                ended.add(BasebandHttp.awaitEnded(http, base, id, deadline));
            }
            assertTrue(pipeline.awaitStages(Duration.ofSeconds(60)), "the simulator ends and the pipeline drains");
            final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/receiver");
            final SampleFrameChecker checker = (SampleFrameChecker)pipeline.stage("/checker");
            assertEquals(0, receiver.counters().sum(ReceiveCounters.LOST_SAMPLES), "ingest lost nothing");
            assertEquals(0, receiver.counters().sum(ReceiveCounters.DROPPED_BACKPRESSURE));
            assertEquals(0, checker.badFrames());
            assertTrue(checker.goodFrames() > 30, "frames " + checker.goodFrames());
            final FrameSink order = (FrameSink)pipeline.stage("/order");
            assertEquals(checker.goodFrames(), order.frames());
            assertEquals(0, order.outOfOrder(), "every frame once, strictly in time order (first_seq increases)");
            for (final JsonNode status : ended)
            {
                assertEquals("done", status.get("status").asText(), status.toString());
                for (final JsonNode freq : status.get("freqs"))
                {
                    final Path file = dir.resolve("archive").resolve(freq.get("file_name").asText());
                    final Verification check = BasebandVerifier.verify(BasebandWindowFile.read(file),
                        new TplusESignal(), 5);
                    assertTrue(check.passed(), file.toString());
                }
            }
            final JsonNode list = BasebandHttp.get(http, base + "/baseband");
            assertEquals(4, list.size());
            final HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(base +
                "/baseband/103/waterfall.png")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
            assertTrue(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth() > 512);
            final Path image = dir.resolve("w.png");
            assertEquals(0, Main.commandLine().execute("waterfall", dir.resolve("archive/e2e/test_103").toString(),
                "-o", image.toString()));
            assertTrue(javax.imageio.ImageIO.read(image.toFile()).getHeight() > 100);
            assertTrue(service.metrics().prometheus().contains("kotekan_baseband_trigger_latency_seconds"));
        }
    }
}
