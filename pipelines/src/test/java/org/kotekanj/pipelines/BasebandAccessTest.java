package org.kotekanj.pipelines;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.rest.Json;
import org.kotekanj.service.KotekanService;
import org.kotekanj.service.ServiceOptions;
import org.kotekanj.stage.StageRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Triggers change a node too: with a token file, {@code POST /baseband} and {@code DELETE /baseband/{id}} need the
 * bearer token (401 without it or with a wrong one, and no event is created), and {@code GET /baseband} stays open.
 */
class BasebandAccessTest
{
    private static final String TOKEN = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void shouldNeedTheTokenToTriggerAndToCancelADump() throws Exception
    {
        final int port = FreeUdpPorts.one();
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: warn
            profile: generic
            samples_per_packet: 2
            freqs_per_packet: 4
            inputs_per_packet: 512
            footer_bytes: 774
            flag_word: true
            streams: [{stream_id: 0x0101, freq_base: 40, input_block: 0}]
            samples_per_frame: 1024
            frames:
              kotekan_buffer: standard
              ring_seconds: 0.08
              frame_seconds: samples_per_frame * 2.56e-6
              frame_size: 4 * samples_per_frame * 512
            receiver:
              kotekan_stage: FengineReceiver
              out_buf: frames
              source: recvmmsg
              bind_address: 127.0.0.1
              ports: [%d]
            baseband:
              kotekan_stage: BasebandReadout
              in_buf: frames
              archive_root: %s
              max_dump_seconds: 0.02
              staging_mib: 16
            """.formatted(port, dir.resolve("archive")), "baseband-access.yaml", errors);
        errors.throwIfAny();
        final Path token = dir.resolve("token");
        Files.writeString(token, TOKEN);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        final ServiceOptions options = ServiceOptions.defaults().withRest(true, "127.0.0.1", 0)
            .withCounters(dir, "bb-access").withAccess(token, false, List.of());
        final HttpClient http = HttpClient.newHttpClient();
        try (KotekanService service = KotekanService.open(options, StageRegistry.discover(), false))
        {
            service.start(root);
            final String base = "http://127.0.0.1:" + service.restPort();
            final String trigger = """
                {"event_id": 7, "start_fpga": 0, "duration_nano": 1000000, "dm": 0.5, "dm_error": 0.1,
                 "file_path": "a", "source": "test"}""";
            for (final String method : List.of("POST /baseband", "DELETE /baseband/7"))
            {
                final String[] parts = method.split(" ");
                for (final String authorization : new String[] {null, "Bearer not-the-token-at-all-000000",
                    "Token " + TOKEN})
                {
                    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + parts[1]))
                        .method(parts[0], "POST".equals(parts[0]) ? HttpRequest.BodyPublishers.ofString(trigger) :
                            HttpRequest.BodyPublishers.noBody());
                    if (authorization != null)
                    {
                        request.header("Authorization", authorization);
                    }
                    final HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(401, reply.statusCode(), method + " " + authorization + ": " + reply.body());
                    assertFalse(Json.parse(reply.body()).path("error").asText().isEmpty());
                }
                final HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/baseband"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, events.statusCode(), events.body());
                assertFalse(events.body().contains("\"event_id\" : 7"), "no event was created: " + events.body());
            }
            final HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/baseband"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(trigger))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertNotEquals(401, accepted.statusCode(), accepted.body());
            final HttpResponse<String> cancelled = http.send(HttpRequest.newBuilder(URI.create(base +
                "/baseband/7")).header("Authorization", "Bearer " + TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
            assertNotEquals(401, cancelled.statusCode(), cancelled.body());
            service.stop();
        }
    }
}
