package org.kotekanj.sim.trigger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.kotekanj.rest.Json;

/**
 * Sends a simulated burst's trigger to a node's REST server after a latency, as a real-time FRB search does seconds
 * after the burst arrived: what exercises a node's late, partial and waiting dumps. Asynchronous; the caller decides
 * whether to wait for the reply.
 */
public final class FrbTrigger
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;

    public FrbTrigger(final HttpClient client)
    {
        this.client = client;
    }

    /**
     * Posts {@code request} to {@code {node}/baseband} once {@code latency} has passed.
     *
     * @param node the node's REST base URL, e.g. {@code http://gpu-node-3:12048}.
     * @return the node's reply (status and JSON body), or the failure to reach it.
     */
    public CompletableFuture<HttpResponse<String>> post(final URI node, final FrbTriggerRequest request,
        final Duration latency)
    {
        return send(prepare(node, request), latency);
    }

    /**
     * Builds the {@code POST {node}/baseband} of {@code request} (JSON written here), so a caller on a sending thread
     * can prepare it before the burst and only {@link #send} it when due.
     */
    public static HttpRequest prepare(final URI node, final FrbTriggerRequest request)
    {
        final String base = node.toString();
        return HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base : base + "/") + "baseband"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(request.toJson())))
            .build();
    }

    /**
     * Sends a {@link #prepare prepared} trigger once {@code latency} has passed. Returns at once: the wait and the
     * exchange run on other threads.
     */
    public CompletableFuture<HttpResponse<String>> send(final HttpRequest http, final Duration latency)
    {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(Math.max(0, latency.toNanos()), TimeUnit.NANOSECONDS))
            .thenCompose(ignored -> client.sendAsync(http, HttpResponse.BodyHandlers.ofString()));
    }
}
