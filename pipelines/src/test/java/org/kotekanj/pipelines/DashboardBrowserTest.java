package org.kotekanj.pipelines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium}, driven over the DevTools protocol,
 * no driver to download) opens {@code /} of a running pipeline (simulator -> UDP loopback -> receiver ->
 * correlator, baseband ring), the numbers it shows once the traffic has stopped equal {@code /metrics} and
 * {@code /status}, a dump triggered from the page appears in it, the visibility heatmap is drawn, and a screenshot
 * is kept as {@code target/dashboard.png}.
 */
class DashboardBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern SERIES = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldShowTheLiveNodeAsMetricsAndStatusSayAndADumpTriggeredFromThePage() throws Exception
    {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (Debian packages chromium)");
        final int port = FreeUdpPorts.one();
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: warn
            threading_mode: shared
            profile: generic
            samples_per_packet: 2
            freqs_per_packet: 4
            inputs_per_packet: 16
            footer_bytes: 0
            flag_word: false
            streams: [{stream_id: 0x0101, freq_base: 40, input_block: 0}]
            signal: {type: walsh, seed: 3}
            samples_per_frame: 1024
            samples_per_integration: 1024
            frames:
              kotekan_buffer: standard
              ring_seconds: 0.2
              frame_seconds: samples_per_frame * 2.56e-6
              frame_size: 4 * samples_per_frame * 128
            visibilities:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 65536
            simulator:
              kotekan_stage: FengineSimulator
              destinations: [127.0.0.1:%d]
              rate: x0.05
              duration_s: 4
              impairments: {loss: {rate: 0.01}}
            receiver:
              kotekan_stage: FengineReceiver
              threading_mode: dedicated
              out_buf: frames
              source: recvmmsg
              bind_address: 127.0.0.1
              ports: [%d]
              window_frames: 2
              idle_publish_ms: 300
            correlator:
              kotekan_stage: Correlator
              in_buf: frames
              out_buf: visibilities
              backend: cpu
            sink:
              kotekan_stage: FrameSink
              in_buf: visibilities
            baseband:
              kotekan_stage: BasebandReadout
              in_buf: frames
              archive_root: %s
              max_dump_seconds: 0.05
              staging_mib: 16
            """.formatted(port, port, dir.resolve("archive")), "dashboard.yaml", errors);
        errors.throwIfAny();
        final ServiceOptions options = ServiceOptions.defaults().withRest(true, "127.0.0.1", 0)
            .withCounters(dir, "dashboard");
        try (KotekanService service = KotekanService.open(options, StageRegistry.discover(), false);
            Browser browser = Browser.start(dir.resolve("chromium")))
        {
            service.start(root);
            final String base = "http://127.0.0.1:" + service.restPort();
            browser.call("Page.enable", Json.object());
            final ObjectNode navigate = Json.object();
            navigate.put("url", base + "/");
            browser.call("Page.navigate", navigate);
            browser.await("document.body && Number(document.body.dataset.snapshots || 0) >= 2", 30);

            // Traffic stops after 4 s: wait until the counters stand still, then until the page has caught up.
            String metrics = awaitSteadyPackets(base);
            browser.await("Number(document.body.dataset.snapshots) >= 0 && " +
                "document.querySelector('#links tbody tr') !== null", 30);
            Thread.sleep(2500);
            metrics = get(base + "/metrics");

            final JsonNode shown = Json.parse(browser.evaluate("""
                JSON.stringify({
                  state: document.getElementById('state').textContent,
                  links: [...document.querySelectorAll('#links tbody tr')].map(r => ({stream: r.dataset.stream,
                    packets: r.querySelector('.packets').textContent, lost: r.querySelector('.lost').textContent})),
                  buffers: [...document.querySelectorAll('#buffers tbody tr')].map(r => ({buffer: r.dataset.buffer,
                    full: r.querySelector('.full').textContent})),
                  integrations: document.getElementById('corr-integrations').textContent})""").asText());
            final JsonNode status = Json.parse(get(base + "/status"));
            assertEquals(status.path("state").asText(), shown.path("state").asText());
            final Map<String, String> packets = series(metrics, "kotekan_rx_packets_total", "stream");
            final Map<String, String> lost = series(metrics, "kotekan_rx_lost_samples_total", "stream");
            assertEquals(1, shown.path("links").size(), shown.toString());
            for (final JsonNode link : shown.path("links"))
            {
                final String stream = link.path("stream").asText();
                assertEquals(whole(packets.get(stream)), link.path("packets").asText(), stream + " packets");
                assertEquals(whole(lost.get(stream)), link.path("lost").asText(), stream + " lost samples");
                assertTrue(Long.parseLong(link.path("packets").asText()) > 1000, link.toString());
            }
            assertEquals(whole(series(metrics, "kotekan_corr_integrations_total", "stage_name").get("/correlator")),
                shown.path("integrations").asText());
            final Map<String, String> full = series(metrics, "kotekan_buffer_frames_full", "buffer");
            for (final JsonNode buffer : shown.path("buffers"))
            {
                assertEquals(whole(full.get(buffer.path("buffer").asText())), buffer.path("full").asText());
            }
            assertEquals(full.size(), shown.path("buffers").size(), shown.toString());

            // The visibility heatmap of the chosen frequency is drawn.
            browser.await("document.getElementById('vis-info').textContent.startsWith('freq_id 40')", 30);

            // A dump triggered from the page shows up in the page and in GET /baseband.
            browser.evaluate("document.getElementById('trigger').click()");
            browser.await("document.querySelector('#events tbody tr .status') !== null && " +
                "['done','partial'].some(s => document.querySelector('#events tbody tr .status').textContent == s)",
                30);
            final JsonNode events = Json.parse(get(base + "/baseband"));
            assertEquals(1, events.size(), events.toString());
            final String shownId = browser.evaluate(
                "document.querySelector('#events tbody tr').dataset.event").asText();
            assertEquals(events.get(0).path("event_id").asText(), shownId);
            // Each frequency's status is shown, and the event's waterfall image has loaded.
            final java.util.TreeMap<Integer, String> statusByFreq = new java.util.TreeMap<>();
            events.get(0).path("freqs").properties().forEach(f ->
                statusByFreq.put(Integer.parseInt(f.getKey()), f.getValue().path("status").asText()));
            assertFalse(statusByFreq.isEmpty(), events.toString());
            final String perFreq = statusByFreq.entrySet().stream().map(f -> f.getKey() + ": " + f.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
            browser.await("document.querySelector('#events tbody tr .freqs').textContent == " +
                Json.write(perFreq), 30);
            browser.await("(() => { const i = document.querySelector('#events tbody tr img.waterfall'); " +
                "return i !== null && i.complete && i.naturalWidth > 0; })()", 30);

            final Path screenshot = Path.of("target", "dashboard.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, Base64.getDecoder().decode(
                browser.call("Page.captureScreenshot", Json.object()).path("data").asText()));
            assertTrue(Files.size(screenshot) > 10_000);
            service.stop();
        }
    }

    private String get(final String url) throws IOException, InterruptedException
    {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), url + ": " + answer.body());
        return answer.body();
    }

    private String awaitSteadyPackets(final String base) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final String metrics = get(base + "/metrics");
            final String packets = series(metrics, "kotekan_rx_packets_total", "stream").toString();
            if (packets.equals(last) && !packets.equals("{}"))
            {
                return metrics;
            }
            last = packets;
            Thread.sleep(1500);
        }
        throw new AssertionError("the receive counters never stood still");
    }

    /** The values of one metric by one label (Prometheus text). */
    private static Map<String, String> series(final String metrics, final String name, final String label)
    {
        final Map<String, String> values = new TreeMap<>();
        final Matcher matcher = SERIES.matcher(metrics);
        final Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
        while (matcher.find())
        {
            if (matcher.group(1).equals(name))
            {
                final Matcher l = labelValue.matcher(matcher.group(2));
                if (l.find())
                {
                    values.merge(l.group(1), matcher.group(3), (a, b) -> String.valueOf(Double.parseDouble(a) +
                        Double.parseDouble(b)));
                }
            }
        }
        return values;
    }

    private static String whole(final String value)
    {
        assertTrue(value != null, "no such series");
        return String.valueOf(Math.round(Double.parseDouble(value)));
    }

    /** Headless Chromium over the DevTools protocol (a WebSocket of JSON commands), with a fresh profile. */
    private static final class Browser implements AutoCloseable
    {
        private final Process process;
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

        private Browser(final Process process, final WebSocket socket)
        {
            this.process = process;
            this.socket = socket;
        }

        static Browser start(final Path profile) throws Exception
        {
            Files.createDirectories(profile);
            final List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--window-size=1500,1100", "about:blank"));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
            final Path active = profile.resolve("DevToolsActivePort");
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (!(Files.exists(active) && Files.readAllLines(active).size() >= 2))
            {
                if (System.nanoTime() > deadline || !process.isAlive())
                {
                    process.destroyForcibly();
                    throw new AssertionError("chromium did not start:\n" +
                        Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            final int port = Integer.parseInt(Files.readAllLines(active).get(0).strip());
            final HttpClient client = HttpClient.newHttpClient();
            String page = null;
            while (page == null && System.nanoTime() < deadline)
            {
                final JsonNode targets = Json.parse(client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
                for (final JsonNode target : targets)
                {
                    if ("page".equals(target.path("type").asText()))
                    {
                        page = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                Thread.sleep(page == null ? 100 : 0);
            }
            assertTrue(page != null, "chromium has no page");
            final Browser[] self = new Browser[1];
            final StringBuilder message = new StringBuilder();
            final WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener()
            {
                @Override
                public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last)
                {
                    message.append(data);
                    if (last)
                    {
                        final JsonNode json = Json.parse(message.toString());
                        message.setLength(0);
                        final CompletableFuture<JsonNode> waiting = json.has("id") ?
                            self[0].pending.remove(json.path("id").asInt()) : null;
                        if (waiting != null)
                        {
                            waiting.complete(json);
                        }
                    }
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new Browser(process, socket);
            return self[0];
        }

        JsonNode call(final String method, final ObjectNode params) throws Exception
        {
            final int id = ids.incrementAndGet();
            final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            final ObjectNode command = Json.object();
            command.put("id", id);
            command.put("method", method);
            command.set("params", params);
            socket.sendText(Json.MAPPER.writeValueAsString(command), true).get(30, TimeUnit.SECONDS);
            final JsonNode reply = answer.get(60, TimeUnit.SECONDS);
            assertFalse(reply.has("error"), method + ": " + reply);
            return reply.path("result");
        }

        JsonNode evaluate(final String expression) throws Exception
        {
            final ObjectNode params = Json.object();
            params.put("expression", expression);
            params.put("returnByValue", true);
            final JsonNode result = call("Runtime.evaluate", params);
            assertFalse(result.has("exceptionDetails"), expression + ": " + result);
            return result.path("result").path("value");
        }

        void await(final String condition, final int seconds) throws Exception
        {
            final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (!evaluate("Boolean(" + condition + ")").asBoolean())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("the page never showed " + condition + "; it shows:\n" +
                        evaluate("document.body.innerText").asText());
                }
                Thread.sleep(200);
            }
        }

        @Override
        public void close() throws Exception
        {
            socket.abort();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
