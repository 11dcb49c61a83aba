package org.kotekanj.sim.trigger;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.kotekanj.sim.send.SimulatorRun;

/**
 * Posts a run's configured trigger once the run has sent the burst's t0, after the latency, as a real-time search
 * reports a burst seconds after it arrived. The sending thread only tests a seq after each batch and, once, hands a
 * request built beforehand to a timer: the wait, the exchange and the report of the outcome run on other threads, so
 * a slow or absent node never stalls the packets. The end of a run waits for the outcome by polling
 * {@link #isSettled()}, at most until the latency plus two seconds after posting.
 */
public final class FrbTriggerScheduler implements AutoCloseable
{
    /** How long past the latency the end of a run waits for the node's reply before abandoning it. */
    private static final Duration REPLY_GRACE = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final FrbTriggerConfig config;
    private final HttpClient client;
    private final FrbTrigger trigger;
    private final HttpRequest request;
    private final Consumer<FrbTriggerOutcome> outcomes;
    private CompletableFuture<HttpResponse<String>> reply;
    private CompletableFuture<Void> reported;
    private long deadlineNanos;

    /**
     * Opens an HTTP client and builds the request (cold work, before the run sends).
     *
     * @param outcomes told the outcome once, on an HTTP or timer thread (or the thread that abandons it).
     */
    public FrbTriggerScheduler(final FrbTriggerConfig config, final Consumer<FrbTriggerOutcome> outcomes)
    {
        this.config = config;
        this.outcomes = outcomes;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
            .build();
        this.trigger = new FrbTrigger(client);
        this.request = FrbTrigger.prepare(config.url(), config.request());
    }

    /** Called on the sending thread after the run sent something: posts, once, when t0 has been sent. */
    public void afterSend(final SimulatorRun run)
    {
        if (reply == null && run.hasSent(config.t0Seq()))
        {
            deadlineNanos = System.nanoTime() + config.latency().toNanos() + REPLY_GRACE.toNanos();
            reply = trigger.send(request, config.latency());
            reported = reply.handle(this::report);
        }
    }

    public boolean isPosted()
    {
        return reply != null;
    }

    /**
     * True when no trigger is in flight: none was posted, or its outcome has been reported. Past the deadline a
     * missing reply is abandoned (reported as failed). Never blocks.
     */
    public boolean isSettled()
    {
        if (reply == null || reported.isDone())
        {
            return true;
        }
        if (System.nanoTime() - deadlineNanos >= 0)
        {
            reply.cancel(false);
        }
        return reported.isDone();
    }

    /** Abandons a reply still in flight (reported as failed) and closes the HTTP client. */
    @Override
    public void close()
    {
        if (reply != null)
        {
            reply.cancel(false);
        }
        client.shutdownNow();
    }

    private Void report(final HttpResponse<String> response, final Throwable failure)
    {
        final long eventId = config.request().eventId();
        outcomes.accept(response != null ? FrbTriggerOutcome.replied(eventId, response) :
            FrbTriggerOutcome.failed(eventId, request.uri(), failure));
        return null;
    }
}
