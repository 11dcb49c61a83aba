package org.kotekanj.pipelines;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.sim.answers.BasebandVerifier;
import org.kotekanj.sim.answers.BasebandWindow;
import org.kotekanj.sim.answers.BasebandWindowFile;
import org.kotekanj.sim.answers.Verification;
import org.kotekanj.sim.signal.RandomSignal;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.receive.FengineReceiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F-engine resets through the real receive path into a dump: two streams (input blocks 0 and 1 of the same four
 * frequencies) whose F-engines reset now and then to seq 0, sent over loopback; the receiver re-aligns a reset stream
 * onto its timeline by whole frames ({@code seq_offset}, {@code realigned}). A window after a reset must not hold the
 * re-aligned samples as if they were of the window's time: with a non-periodic signal every byte of every
 * {@code sample_present} row must be the signal at that row's sample counter, and the dump is {@code partial} for the
 * reset.
 */
class BasebandResetEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLeaveReAlignedStreamsOutOfADumpAfterAnFengineReset() throws Exception
    {
        final int port = FreeUdpPorts.one();
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: error
            threading_mode: shared
            profile: generic
            samples_per_packet: 2
            freqs_per_packet: 4
            inputs_per_packet: 64
            footer_bytes: 0
            streams: [{stream_id: 0x0101, freq_base: 40, input_block: 0},
                      {stream_id: 0x0102, freq_base: 40, input_block: 1}]
            signal: {type: random, seed: 7}
            samples_per_frame: 1024
            frames:
              kotekan_buffer: standard
              ring_seconds: 0.15
              frame_seconds: samples_per_frame * 2.56e-6
              frame_size: 4 * samples_per_frame * 128
            simulator:
              kotekan_stage: FengineSimulator
              destinations: [127.0.0.1:%d]
              rate: x0.05
              duration_s: 4
              start_seq: 2000000
              seed: 3
              impairments:
                reset: {rate: 0.0001, to_seq: 0}
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
            baseband:
              kotekan_stage: BasebandReadout
              in_buf: frames
              archive_root: %s
              max_dump_seconds: 0.02
              staging_mib: 16
            """.formatted(port, port, dir.resolve("archive")), "baseband-reset-e2e.yaml", errors);
        errors.throwIfAny();
        final ServiceOptions options = ServiceOptions.defaults().withRest(true, "127.0.0.1", 0)
            .withCounters(dir, "bb-reset-e2e");
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (KotekanService service = KotekanService.open(options, StageRegistry.discover(), false))
        {
            final Pipeline pipeline = service.start(root);
            final String base = "http://127.0.0.1:" + service.restPort();
            final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/receiver");
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (receiver.counters().sum(ReceiveCounters.RESETS) == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertTrue(receiver.counters().sum(ReceiveCounters.RESETS) > 0, "an F-engine reset was received");
            // Let the re-aligned stream fill some frames past the reset, then dump the newest complete ones.
            final long seenAt = BasebandHttp.get(http, base + "/baseband/ring").get("end_fpga").asLong();
            final long end = BasebandHttp.await(http, base + "/baseband/ring",
                ring -> ring.get("end_fpga").asLong() >= seenAt + 4 * 1024, deadline).get("end_fpga").asLong();
            final String body = """
                {"event_id": 1, "start_fpga": %d, "duration_nano": %d, "dm": 0, "dm_error": 0,
                 "file_path": "reset", "source": "test"}""".formatted(end - 4000, 3000 * 2560);
            BasebandHttp.trigger(http, base, body);
            final JsonNode status = BasebandHttp.awaitEnded(http, base, 1, deadline);
            assertEquals("partial", status.get("status").asText(), status.toString());
            for (final JsonNode freq : status.get("freqs"))
            {
                assertTrue(freq.get("reason").asText().contains("re-aligned"), freq.toString());
                final BasebandWindow dump = BasebandWindowFile.read(dir.resolve("archive")
                    .resolve(freq.get("file_name").asText()));
                final Verification check = BasebandVerifier.verify(dump, new RandomSignal(7), 5);
                final java.io.StringWriter text = new java.io.StringWriter();
                check.print(new java.io.PrintWriter(text));
                assertTrue(check.passed(), text.toString());
                int notPresent = 0;
                for (final boolean p : dump.present())
                {
                    notPresent += p ? 0 : 1;
                }
                assertTrue(notPresent > 0, "rows of the re-aligned stream are not present");
            }
            assertTrue(pipeline.awaitStages(Duration.ofSeconds(60)), "the simulator ends and the pipeline drains");
        }
    }
}
