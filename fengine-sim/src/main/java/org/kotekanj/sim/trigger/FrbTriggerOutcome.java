package org.kotekanj.sim.trigger;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * What became of a posted trigger, as one line for a log or the console: accepted (a 2xx reply, the node planned the
 * dump), refused (any other reply, e.g. 503 with the node's error body) or failed (no reply: unreachable, timed out,
 * or abandoned at the end of the run). A node's answer is never fatal to the simulator; it is counted and reported.
 *
 * @param status the HTTP status, or 0 if there was no reply.
 * @param detail the reply's body, or why there was none.
 */
public record FrbTriggerOutcome(long eventId, URI target, int status, String detail)
{
    private static final int MAX_DETAIL = 300;

    public static FrbTriggerOutcome replied(final long eventId, final HttpResponse<String> reply)
    {
        return new FrbTriggerOutcome(eventId, reply.request().uri(), reply.statusCode(), shorten(reply.body()));
    }

    public static FrbTriggerOutcome failed(final long eventId, final URI target, final Throwable failure)
    {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final String why = cause instanceof CancellationException ? "abandoned: the run ended before a reply came" :
            cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new FrbTriggerOutcome(eventId, target, 0, "no reply (" + shorten(why) + ")");
    }

    /** True if the node accepted the trigger (2xx: a new plan, or the plan of a repeated event). */
    public boolean accepted()
    {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString()
    {
        return "frb trigger event " + eventId + " to " + target + ": " + (status > 0 ? status + " " : "") + detail;
    }

    private static String shorten(final String text)
    {
        final String line = text == null ? "" : text.strip().replace('\n', ' ');
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }
}
