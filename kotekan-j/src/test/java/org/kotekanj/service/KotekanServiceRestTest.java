package org.kotekanj.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.rest.Json;
import org.kotekanj.stage.ControlledStage;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.PrometheusFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API of a running service (port 0): core endpoints, stage endpoints, config updates, errors, daemon mode. */
class KotekanServiceRestTest
{
    private static final String PIPELINE = """
        num_frames: 4
        frame_size: 64
        source: {kotekan_stage: SequenceSource, out_buf: buf}
        sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 50}
        buf: {kotekan_buffer: standard}
        gains:
          kotekan_update_endpoint: json
          gain: 1.5
          frames: 16
          label: cx
        control: {kotekan_stage: ControlledStage, updatable: gains}
        """;

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private KotekanService service;

    /** One HTTP answer. */
    private record Answer(int status, String contentType, String body, HttpResponse<String> response)
    {
        JsonNode json()
        {
            return Json.parse(body);
        }
    }

    @AfterEach
    void close()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private KotekanService open(final boolean daemon) throws Exception
    {
        service = KotekanService.open(new ServiceOptions(true, "127.0.0.1", 0, dir, "rest-test"),
            StageRegistry.discover(), daemon);
        return service;
    }

    private Pipeline startPipeline() throws Exception
    {
        open(false);
        final ConfigErrors errors = new ConfigErrors();
        final Pipeline pipeline = service.start(YamlConfigLoader.parse(PIPELINE, "rest.yaml", errors));
        assertTrue(errors.isEmpty(), errors.list().toString());
        return pipeline;
    }

    private Answer send(final String method, final String path, final String body) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.restPort() + path))
            .timeout(java.time.Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body))
            .build();
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
            response.body(), response);
    }

    /** Sends bytes that {@link HttpClient} would refuse to send; returns the whole answer. */
    private String rawRequest(final String request) throws Exception
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", service.restPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Answer get(final String path) throws Exception
    {
        return send("GET", path, null);
    }

    private static void assertError(final Answer answer, final int status, final String error)
    {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/json", answer.contentType());
        assertEquals(error, answer.json().path("error").asText(), answer.body());
        assertFalse(answer.body().contains("\tat ") || answer.body().contains("Exception\n"), answer.body());
    }

    @Test
    void shouldServeStatusConfigBuffersEndpointsAndVersion() throws Exception
    {
        startPipeline();
        final JsonNode status = get("/status").json();
        assertEquals("running", status.path("state").asText());
        assertEquals("rest-test", status.path("instance").asText());
        assertEquals(ProcessHandle.current().pid(), status.path("pid").asLong());
        assertEquals(dir.resolve("rest-test.counters").toString(), status.path("counters_file").asText());
        final List<String> stages = new ArrayList<>();
        status.path("stages").forEach(s -> stages.add(s.path("stage_name").asText() + " " + s.path("type").asText() +
            " " + s.path("thread").asText()));
        assertEquals(List.of("/source SequenceSource kj-source", "/sink SequenceSink kj-sink",
            "/control ControlledStage kj-control"), stages);

        final JsonNode config = get("/config").json();
        assertEquals(Json.MAPPER.valueToTree(Map.of("kotekan_buffer", "standard")), config.path("buf"));
        assertEquals(4, config.path("num_frames").asInt());
        assertEquals("gains", config.path("control").path("updatable").asText());

        final JsonNode buffer = get("/buffers").json().path("buf");
        assertEquals("/buf", buffer.path("path").asText());
        assertEquals(4, buffer.path("num_frames").asInt());
        assertEquals(64, buffer.path("frame_size").asInt());
        assertEquals("/source", buffer.path("producers").path(0).path("stage_name").asText());
        assertEquals("/sink", buffer.path("consumers").path(0).path("stage_name").asText());
        assertEquals("auto", buffer.path("hugepages").asText());

        final List<String> endpoints = new ArrayList<>();
        get("/endpoints").json().forEach(e -> endpoints.add(e.path("method").asText() + " " + e.path("path").asText()));
        assertEquals(List.of("GET /", "GET /buffers", "GET /config", "POST /controlled/crash",
            "GET /controlled/{item}", "GET /dashboard/events", "GET /dashboard/files/{file}", "GET /endpoints",
            "GET /metrics", "GET /status", "GET /updatable_config/gains",
            "POST /updatable_config/gains", "GET /version"), endpoints);

        final JsonNode version = get("/version").json();
        assertEquals(Version.version(), version.path("version").asText());
        assertEquals("kotekan-j " + Version.version(), version.path("software_version").asText());
        assertEquals(Runtime.version().toString(), version.path("java").asText());
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() throws Exception
    {
        final Pipeline pipeline = startPipeline();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        Map<String, Double> samples;
        do
        {
            final Answer metrics = get("/metrics");
            assertEquals(200, metrics.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.contentType());
            samples = PrometheusFormat.validate(metrics.body());
        }
        while (samples.get("kotekan_stage_work_cycles_total{stage_name=\"/sink\"}") == 0 &&
            System.nanoTime() < deadline);
        assertTrue(samples.get("kotekan_stage_work_cycles_total{stage_name=\"/sink\"}") > 0);
        for (final String series : List.of(
            "kotekan_stage_idle_cycles_total{stage_name=\"/control\"}",
            "kotekan_stage_idle_ratio{stage_name=\"/source\"}",
            "kotekan_stage_max_cycle_seconds{stage_name=\"/sink\"}",
            "kotekan_stage_cycle_time_seconds_count{stage_name=\"/sink\"}",
            "kotekan_buffer_frames_full{stage_name=\"/buf\",buffer=\"buf\"}",
            "kotekan_buffer_fill_ratio{stage_name=\"/buf\",buffer=\"buf\"}",
            "kotekan_buffer_producer_waits_total{stage_name=\"/source\",buffer=\"buf\"}",
            "kotekan_buffer_consumer_waits_total{stage_name=\"/sink\",buffer=\"buf\"}"))
        {
            assertTrue(samples.containsKey(series), series + " in " + samples.keySet());
        }
        assertTrue(pipeline.stop());
    }

    @Test
    void shouldServeStageEndpointsWhileThePipelineRuns() throws Exception
    {
        final Pipeline pipeline = startPipeline();
        assertEquals("{\"item\":\"abc\"}", get("/controlled/abc").json().toString());
        assertTrue(pipeline.stop());
        assertError(get("/controlled/abc"), 404, "no endpoint /controlled/abc (GET /endpoints lists them)");
        assertError(get("/updatable_config/gains"), 404,
            "no endpoint /updatable_config/gains (GET /endpoints lists them)");
    }

    @Test
    void shouldUpdateDeclaredValuesOfTheSameTypeOnly() throws Exception
    {
        final Pipeline pipeline = startPipeline();
        final ControlledStage control = (ControlledStage)pipeline.stage("/control");
        final String initial = "{\"gain\":1.5,\"frames\":16,\"label\":\"cx\"}";
        assertEquals(initial, control.lastUpdate().toString(), "subscribers get the initial values at start");
        assertEquals(initial, get("/updatable_config/gains").json().toString());

        final Answer accepted = send("POST", "/updatable_config/gains", "{\"gain\": 2, \"label\": \"cy\"}");
        assertEquals(200, accepted.status(), accepted.body());
        final String updated = "{\"gain\":2.0,\"frames\":16,\"label\":\"cy\"}";
        assertEquals(updated, accepted.json().toString());
        assertEquals(updated, control.lastUpdate().toString());

        final Answer wrongType = send("POST", "/updatable_config/gains", "{\"frames\": 2.5}");
        assertError(wrongType, 400, "'frames' must be an integer, got number");
        assertEquals("frames", wrongType.json().path("field").asText());
        assertError(send("POST", "/updatable_config/gains", "{\"label\": 3}"), 400,
            "'label' must be a string, got integer");
        assertError(send("POST", "/updatable_config/gains", "{\"gian\": 1.0}"), 400, "'gian' is not a value of /gains");
        assertError(send("POST", "/updatable_config/gains", "{\"gain\": -1.0}"), 400,
            "/control rejected the update: gain must not be negative");
        assertError(send("POST", "/updatable_config/gains", "[1, 2]"), 400,
            "expected a JSON object of values to update");
        assertError(send("POST", "/updatable_config/gains", ""), 400, "the request needs a JSON body");
        final Answer malformed = send("POST", "/updatable_config/gains", "{\"gain\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().path("error").asText().startsWith("malformed JSON: "), malformed.body());
        assertEquals(updated, get("/updatable_config/gains").json().toString(), "rejected updates change nothing");
        assertEquals(updated, control.lastUpdate().toString());
    }

    @Test
    void shouldAnswerMalformedRequestsWithJsonErrorsNeverStackTraces() throws Exception
    {
        startPipeline();
        assertError(get("/nothing/here"), 404, "no endpoint /nothing/here (GET /endpoints lists them)");
        final Answer wrongMethod = send("DELETE", "/status", null);
        assertError(wrongMethod, 405, "DELETE is not allowed on /status; allowed: GET");
        assertEquals("GET", wrongMethod.response().headers().firstValue("Allow").orElse(""));
        assertError(send("POST", "/start", "x: 1"), 404, "no endpoint /start (GET /endpoints lists them)");
        assertError(send("POST", "/controlled/crash", "{}"), 500,
            "internal error: IllegalArgumentException: handler bug");
        // Bytes that are not HTTP are answered in JSON too (RestServerTest tries many more).
        final String raw = rawRequest("GET /status?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 400 "), raw);
        assertTrue(raw.contains("\"error\" : \"malformed query string: "), raw);
        assertFalse(raw.contains("\tat "), raw);
        final Answer head = send("HEAD", "/status", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(200, get("/status/").status(), "a trailing slash is ignored");
    }

    @Test
    void shouldStartAndStopConfigsPostedToADaemonAndStayUpAfterInvalidOnes() throws Exception
    {
        open(true);
        assertEquals("idle", get("/status").json().path("state").asText());
        final Answer invalid = send("POST", "/start", """
            num_frames: 4
            source: {kotekan_stage: SequenceSorce, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, colour: red}
            buf: {kotekan_buffer: standard}
            """);
        assertEquals(400, invalid.status(), invalid.body());
        assertEquals("the config cannot run: 3 error(s)", invalid.json().path("error").asText());
        assertEquals(List.of(
            "POST /start:2: /source/kotekan_stage: unknown stage type 'SequenceSorce'; did you mean SequenceSource? " +
                "(kotekan-j stages lists them)",
            "POST /start:3: /sink/colour: unknown key 'colour': nothing reads it here (SequenceSink)",
            "POST /start:4: /buf: missing 'frame_size' (an integer): set it here or on a node above"),
            Json.MAPPER.convertValue(invalid.json().path("errors"), List.class));
        assertError(send("POST", "/start", "key: [unclosed"), 400, "the config cannot run: 1 error(s)");
        assertError(send("POST", "/start", ""), 400, "POST /start needs the config (JSON or YAML) as its body");
        assertEquals("idle", get("/status").json().path("state").asText(), "the daemon is still up and idle");

        for (int round = 0; round < 2; round++)
        {
            final Answer started = send("POST", "/start", round == 0 ? PIPELINE : Json.write(
                Json.MAPPER.valueToTree(YamlConfigLoader.parse(PIPELINE, "x", new ConfigErrors()).toMap())));
            assertEquals(200, started.status(), started.body());
            assertEquals("running", started.json().path("state").asText());
            assertError(send("POST", "/start", PIPELINE), 409, "a pipeline is already running; POST /stop first");
            assertEquals(200, get("/controlled/x").status());
            PrometheusFormat.validate(get("/metrics").body());
            final Answer stopped = send("POST", "/stop", null);
            assertEquals(200, stopped.status(), stopped.body());
            assertEquals("stopped", stopped.json().path("state").asText());
            assertTrue(stopped.json().path("drained").asBoolean());
            assertError(send("POST", "/stop", null), 409, "no pipeline is running");
            assertEquals(404, get("/controlled/x").status());
        }
    }

    @Test
    void shouldStartANewConfigOnceThePreviousOneFinishedOrFailed() throws Exception
    {
        open(true);
        final String finite = PIPELINE.replace("source: {kotekan_stage: SequenceSource, out_buf: buf}",
            "source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: 20}")
            .replace("control: {kotekan_stage: ControlledStage, updatable: gains}", "");
        final String failing = PIPELINE.replace("sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 50}",
            "sink: {kotekan_stage: FailingStage, in_buf: buf, fail_at_frame: 3}");
        for (final String config : List.of(finite, failing, finite, failing))
        {
            final Answer started = send("POST", "/start", config);
            assertEquals(200, started.status(), started.body());
            awaitAllStagesClosed();
        }
        assertTrue(get("/status").json().path("failure").asText()
            .startsWith("stage /sink (FailingStage) failed: java.lang.IllegalStateException: boom at frame 3"));
        final Answer stopped = send("POST", "/stop", null);
        assertEquals(200, stopped.status(), stopped.body());
        assertEquals("failed", stopped.json().path("state").asText());
    }

    private void awaitAllStagesClosed() throws Exception
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (true)
        {
            final JsonNode stages = get("/status").json().path("stages");
            boolean open = false;
            for (final JsonNode stage : stages)
            {
                open |= !stage.path("state").asText().equals("closed");
            }
            if (!open)
            {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "stages still open: " + stages);
            Thread.sleep(10);
        }
    }

    @Test
    void shouldAnswerAnAliasBombPostedToADaemonWith400AndStayUp() throws Exception
    {
        open(true);
        for (final String bomb : List.of(org.kotekanj.config.HostileConfigs.LIST_ALIAS_BOMB,
            org.kotekanj.config.HostileConfigs.MAP_ALIAS_BOMB, org.kotekanj.config.HostileConfigs.MERGE_BOMB))
        {
            // Before the bound this killed the server's dispatcher: every later request went unanswered.
            final Answer answer = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> send("POST", "/start", bomb));
            assertEquals(400, answer.status(), answer.body());
            assertEquals("the config cannot run: 1 error(s)", answer.json().path("error").asText());
            assertTrue(answer.json().path("errors").path(0).asText().startsWith("POST /start:"), answer.body());
            assertEquals("idle", get("/status").json().path("state").asText());
        }
    }

    @Test
    void shouldRejectIntegersBeyond64BitsAndNumbersThatAreNotFinite() throws Exception
    {
        startPipeline();
        final String initial = get("/updatable_config/gains").json().toString();
        final Answer huge = send("POST", "/updatable_config/gains", "{\"frames\": 99999999999999999999}");
        assertError(huge, 400, "'frames' must be an integer from -9223372036854775808 to 9223372036854775807, " +
            "got 99999999999999999999");
        assertEquals("frames", huge.json().path("field").asText());
        for (final String beyond : List.of("1e400", "-1e400", "99999999999999999999e300"))
        {
            final Answer answer = send("POST", "/updatable_config/gains", "{\"gain\": " + beyond + "}");
            assertError(answer, 400, "'gain' must be a finite number, at most 1.7976931348623157E308 in magnitude");
            assertEquals("gain", answer.json().path("field").asText());
        }
        for (final String notJson : List.of("NaN", "Infinity", "-Infinity"))
        {
            final Answer answer = send("POST", "/updatable_config/gains", "{\"gain\": " + notJson + "}");
            assertEquals(400, answer.status(), answer.body());
            assertTrue(answer.json().path("error").asText().startsWith("malformed JSON: "), answer.body());
        }
        assertEquals(initial, get("/updatable_config/gains").json().toString(), "rejected updates change nothing");
        assertFalse(get("/updatable_config/gains").body().contains("Infinity"));
        final Answer max = send("POST", "/updatable_config/gains", "{\"frames\": 9223372036854775807}");
        assertEquals(200, max.status(), max.body());
        assertEquals(Long.MAX_VALUE, max.json().path("frames").asLong());
    }
}
