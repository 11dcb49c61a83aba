package org.kotekanj.pipelines;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.kotekanj.rest.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The baseband REST calls of the end-to-end tests, made as a client makes them, each wait bounded by a deadline. */
final class BasebandHttp
{
    private static final List<String> ENDED = List.of("done", "partial", "error");

    private BasebandHttp()
    {
    }

    /** GETs a JSON answer, which must be 200. */
    static JsonNode get(final HttpClient http, final String url) throws Exception
    {
        final HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), url + ": " + reply.body());
        return Json.parse(reply.body());
    }

    /** POSTs a trigger, which must be accepted (202). */
    static void trigger(final HttpClient http, final String base, final String body) throws Exception
    {
        final HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/baseband"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, reply.statusCode(), reply.body());
    }

    /** GETs {@code url} every 20 ms until its answer satisfies {@code until} or {@code deadline}; the last answer. */
    static JsonNode await(final HttpClient http, final String url, final Predicate<JsonNode> until,
        final long deadline) throws Exception
    {
        JsonNode answer = get(http, url);
        while (!until.test(answer) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            answer = get(http, url);
        }
        return answer;
    }

    /** The status of event {@code id} once it has ended (done, partial or error), or at {@code deadline}. */
    static JsonNode awaitEnded(final HttpClient http, final String base, final long id, final long deadline)
        throws Exception
    {
        return await(http, base + "/baseband/" + id, status -> ENDED.contains(status.get("status").asText()),
            deadline);
    }
}
