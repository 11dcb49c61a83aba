package org.kotekanj.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.rest.Json;
import org.kotekanj.stage.StageRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may change a node: with a token file, every mutating request needs the bearer token (401 in JSON without it
 * or with a wrong one), GETs stay open unless protected too, and a config POSTed to /start may not name files
 * outside the write roots (400, nothing built, nothing written).
 */
class KotekanServiceAccessTest
{
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String PIPELINE = """
        num_frames: 4
        frame_size: 64
        source: {kotekan_stage: SequenceSource, out_buf: buf}
        sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 50}
        buf: {kotekan_buffer: standard}
        gains:
          kotekan_update_endpoint: json
          gain: 1.5
        control: {kotekan_stage: ControlledStage, updatable: gains}
        """;

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private KotekanService service;

    @AfterEach
    void close()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private Path tokenFile(final String permissions) throws IOException
    {
        final Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private ServiceOptions options(final Path token, final boolean protectReads, final List<Path> roots)
    {
        return new ServiceOptions(true, "127.0.0.1", 0, dir, "access-test").withAccess(token, protectReads, roots);
    }

    private record Answer(int status, String body)
    {
        JsonNode json()
        {
            return Json.parse(body);
        }
    }

    private Answer send(final String method, final String path, final String body, final String authorization)
        throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + service.restPort() + path)).method(method,
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Without a token, with a wrong one and with a non-bearer scheme: 401 in JSON, and the handler never ran. */
    private void assertRefusedWithoutTheToken(final String method, final String path, final String body)
        throws Exception
    {
        for (final String authorization : new String[] {null, "Bearer wrong-token-0123456789abcdef",
            "Bearer " + TOKEN.substring(1), "Basic " + TOKEN, "Bearer " + TOKEN + "0"})
        {
            final Answer answer = send(method, path, body, authorization);
            assertEquals(401, answer.status(), method + " " + path + " with " + authorization + ": " + answer.body());
            assertFalse(answer.json().path("error").asText().isEmpty(), answer.body());
        }
    }

    @Test
    void shouldNeedTheTokenForStartUpdateAndStop() throws Exception
    {
        service = KotekanService.open(options(tokenFile("rw-------"), false, List.of(dir)), StageRegistry.discover(),
            true);
        assertRefusedWithoutTheToken("POST", "/start", PIPELINE);
        assertEquals(null, service.pipeline(), "a refused /start starts nothing");
        final Answer started = send("POST", "/start", PIPELINE, "Bearer " + TOKEN);
        assertEquals(200, started.status(), started.body());

        assertRefusedWithoutTheToken("POST", "/updatable_config/gains", "{\"gain\": 2.5}");
        assertEquals(1.5, send("GET", "/updatable_config/gains", null, null).json().path("gain").asDouble());
        final Answer updated = send("POST", "/updatable_config/gains", "{\"gain\": 2.5}", "bearer " + TOKEN);
        assertEquals(200, updated.status(), updated.body());
        assertEquals(2.5, send("GET", "/updatable_config/gains", null, null).json().path("gain").asDouble());

        // GETs stay open.
        assertEquals(200, send("GET", "/status", null, null).status());
        assertEquals(200, send("GET", "/metrics", null, null).status());

        assertRefusedWithoutTheToken("POST", "/stop", null);
        assertEquals("running", send("GET", "/status", null, null).json().path("state").asText());
        final Answer stopped = send("POST", "/stop", null, "Bearer " + TOKEN);
        assertEquals(200, stopped.status(), stopped.body());
    }

    @Test
    void shouldProtectReadsWhenAsked() throws Exception
    {
        service = KotekanService.open(options(tokenFile("r--------"), true, List.of()), StageRegistry.discover(),
            true);
        assertRefusedWithoutTheToken("GET", "/status", null);
        assertEquals(200, send("GET", "/status", null, "Bearer " + TOKEN).status());
    }

    @Test
    void shouldRefuseToStartWithATokenOthersCanRead() throws Exception
    {
        for (final String permissions : List.of("rw-r--r--", "rw-r-----", "rw----r--", "rw-----w-"))
        {
            final Path token = tokenFile(permissions);
            final IOException refused = assertThrows(IOException.class,
                () -> KotekanService.open(options(token, false, List.of()), StageRegistry.discover(), true));
            assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
        }
        final Path shortToken = dir.resolve("short");
        Files.writeString(shortToken, "abc");
        Files.setPosixFilePermissions(shortToken, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IOException.class,
            () -> KotekanService.open(options(shortToken, false, List.of()), StageRegistry.discover(), true));
        assertFalse(Files.exists(dir.resolve("access-test.counters")), "nothing was created");
    }

    @Test
    void shouldRefuseAPostedConfigThatWritesOutsideTheRoots() throws Exception
    {
        final Path root = Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        service = KotekanService.open(options(null, false, List.of(root)), StageRegistry.discover(), true);
        for (final String target : List.of("/etc", "/etc/kotekan-j-test", root + "/../../etc", root + "/escape/x",
            "../outside"))
        {
            final Answer answer = send("POST", "/start", PIPELINE + "writer:\n  output_dir: " + target + "\n", null);
            assertEquals(400, answer.status(), target + ": " + answer.body());
            assertTrue(answer.json().path("errors").get(0).asText().contains("/writer/output_dir: output_dir " +
                target + " is outside the directories this node may write (--write-root " + root.toRealPath()),
                answer.body());
            assertEquals(null, service.pipeline());
        }
        final Answer archive = send("POST", "/start", PIPELINE + "archive_root: /etc\n", null);
        assertEquals(400, archive.status(), archive.body());
        assertFalse(Files.exists(Path.of("/etc/kotekan-j-test")));
        final Answer inside = send("POST", "/start", PIPELINE + "writer:\n  output_dir: " + root.resolve("vis") +
            "\n", null);
        assertEquals(200, inside.status(), inside.body());
    }
}
