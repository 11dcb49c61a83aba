package org.kotekanj.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;

/**
 * The node's live dashboard: {@code GET /} serves a static page from the jar (no build step), and
 * {@code GET /dashboard/events} pushes one server-sent event per second holding everything the page shows, so a
 * browser keeps one connection open instead of polling every endpoint: {@code /status}, the {@code /metrics} text
 * (the page parses it: the numbers shown are the numbers Prometheus scrapes), and where a baseband stage serves them
 * {@code /baseband} (recent events) and {@code /baseband/ring}. The page asks for the visibility matrix
 * ({@code /visibilities/latest}) itself, when a new integration is counted.
 *
 * <p>Bounded: at most {@link #MAX_STREAMS} streams at once (503 beyond), each one virtual thread that sleeps between
 * events and ends when the client goes away or the service closes.
 */
public final class Dashboard
{
    public static final int MAX_STREAMS = 8;
    private static final long PERIOD_MS = 1000;
    private static final String RESOURCES = "/org/kotekanj/dashboard/";
    private static final Map<String, String> FILES = Map.of(
        "index.html", "text/html; charset=utf-8",
        "dashboard.js", "text/javascript; charset=utf-8",
        "dashboard.css", "text/css; charset=utf-8");

    private static final ObjectWriter ONE_LINE = Json.MAPPER.writer()
        .without(SerializationFeature.INDENT_OUTPUT);

    private final EndpointRegistry endpoints;
    private final Supplier<JsonNode> status;
    private final Supplier<String> metrics;
    private final BooleanSupplier open;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    public Dashboard(final EndpointRegistry endpoints, final Supplier<JsonNode> status, final Supplier<String> metrics,
        final BooleanSupplier open)
    {
        this.endpoints = endpoints;
        this.status = status;
        this.metrics = metrics;
        this.open = open;
    }

    public void register()
    {
        endpoints.add("GET", "/", "dashboard", "the live dashboard (a page for a browser)", r -> file("index.html"));
        endpoints.add("GET", "/dashboard/files/{file}", "dashboard", "the dashboard's script and style",
            r -> file(r.pathParam("file")));
        endpoints.add("GET", "/dashboard/events", "dashboard",
            "server-sent events, one a second: status, metrics, baseband events and ring", this::events);
    }

    private static RestResponse file(final String name)
    {
        final String type = FILES.get(name);
        if (type == null)
        {
            throw new RestException(404, "no dashboard file " + name, null);
        }
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name))
        {
            if (in == null)
            {
                throw new RestException(404, "dashboard file " + name + " is not in this build", null);
            }
            return new RestResponse(200, type, in.readAllBytes()).withHeader("Cache-Control", "no-cache");
        }
        catch (final IOException e)
        {
            throw new RestException(500, "cannot read dashboard file " + name + ": " + e.getMessage(), null);
        }
    }

    private RestResponse events(final RestRequest request)
    {
        if (!streams.tryAcquire())
        {
            throw new RestException(503, MAX_STREAMS + " dashboards are already connected", null);
        }
        return RestResponse.stream(200, "text/event-stream; charset=utf-8", out ->
        {
            try
            {
                stream(out);
            }
            finally
            {
                streams.release();
            }
        }).withHeader("Cache-Control", "no-cache").withHeader("X-Accel-Buffering", "no");
    }

    private void stream(final OutputStream out) throws IOException
    {
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (open.getAsBoolean())
        {
            // One line: an SSE data field ends at the first newline.
            out.write(("event: snapshot\ndata: " + ONE_LINE.writeValueAsString(snapshot()) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
            out.flush();   // throws once the browser has gone: the stream ends
            try
            {
                Thread.sleep(PERIOD_MS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One event: what the page shows, gathered in-process from the same handlers the REST API uses. */
    ObjectNode snapshot()
    {
        final ObjectNode snapshot = Json.object();
        snapshot.put("time_ms", System.currentTimeMillis());
        snapshot.set("status", status.get());
        snapshot.put("metrics", metrics.get());
        snapshot.set("baseband", fetch("/baseband"));
        snapshot.set("ring", fetch("/baseband/ring"));
        return snapshot;
    }

    private JsonNode fetch(final String path)
    {
        final EndpointRegistry.Match match = endpoints.find("GET", path);
        if (match == null)
        {
            return null;
        }
        try
        {
            final RestResponse answer = match.endpoint().handler().handle(
                new RestRequest("GET", path, match.params(), Map.of(), new byte[0], Map.of()));
            return answer.status() == 200 && answer.stream() == null ?
                Json.MAPPER.readTree(answer.body()) : null;
        }
        catch (final Exception e)
        {
            final ObjectNode error = Json.object();
            error.put("error", String.valueOf(e.getMessage()));
            return error;
        }
    }
}
