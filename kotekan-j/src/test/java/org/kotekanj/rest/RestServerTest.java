package org.kotekanj.rest;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile HTTP straight over a loopback socket: whatever bytes arrive, the answer is a JSON error body (defect 11 of
 * issue 7: the JDK server answered malformed request lines, bad query strings and negative Content-Length in HTML).
 */
class RestServerTest
{
    private final EndpointRegistry endpoints = new EndpointRegistry();
    private RestServer server;

    /** One raw HTTP answer: status line, headers (lower-cased names) and body. */
    private record RawAnswer(int status, String head, String body)
    {
        String header(final String name)
        {
            for (final String line : head.split("\r\n"))
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name))
                {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        JsonNode json()
        {
            return Json.parse(body);
        }
    }

    @BeforeEach
    void start() throws Exception
    {
        endpoints.add("GET", "/echo", "test", "echo the query", r -> RestResponse.ok(Json.MAPPER.valueToTree(r.query())));
        endpoints.add("POST", "/size", "test", "body size", r -> RestResponse.ok(Json.object().put("bytes", r.body().length)));
        endpoints.add("GET", "/fail", "test", "throws an Error", r ->
        {
            throw new StackOverflowError("deep");
        });
        server = RestServer.start("127.0.0.1", 0, endpoints);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private RawAnswer raw(final byte[] request) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            final InputStream in = socket.getInputStream();
            final String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final int split = answer.indexOf("\r\n\r\n");
            assertTrue(split > 0, "no HTTP answer: [" + answer + "]");
            final String head = answer.substring(0, split);
            final String status = head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n"));
            assertTrue(status.startsWith("HTTP/1.1 "), status);
            return new RawAnswer(Integer.parseInt(status.substring(9, 12)), head, answer.substring(split + 4));
        }
    }

    private RawAnswer raw(final String request) throws Exception
    {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertJsonError(final RawAnswer answer, final int status)
    {
        assertEquals(status, answer.status(), answer.head() + "\n" + answer.body());
        assertTrue(String.valueOf(answer.header("content-type")).startsWith("application/json"), answer.head());
        final JsonNode json = answer.json();
        assertFalse(json.path("error").asText().isEmpty(), answer.body());
        assertFalse(answer.body().contains("<html") || answer.body().contains("\tat "), answer.body());
    }

    @Test
    void shouldAnswerAMalformedRequestLineWithJson() throws Exception
    {
        assertJsonError(raw("GARBAGE\r\n\r\n"), 400);
        assertJsonError(raw("GET /echo HTTP/1.1 extra\r\nHost: x\r\n\r\n"), 400);
        assertJsonError(raw("GET /echo\u0001 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assertJsonError(raw(new byte[] {(byte)0xff, (byte)0xfe, 0, 1, '\r', '\n', '\r', '\n'}), 400);
    }

    @Test
    void shouldAnswerABadQueryStringWithJson() throws Exception
    {
        final RawAnswer answer = raw("GET /echo?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertJsonError(answer, 400);
        assertEquals("malformed query string: 'x=%zz' has a % that is not followed by two hexadecimal digits",
            answer.json().path("error").asText());
        final RawAnswer good = raw("GET /echo?a=1&b=x%20y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, good.status(), good.body());
        assertEquals("{\"a\":\"1\",\"b\":\"x y\"}", good.json().toString());
    }

    @Test
    void shouldAnswerNegativeOrUnparseableContentLengthWithJson() throws Exception
    {
        assertJsonError(raw("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"), 400);
        assertJsonError(raw("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400);
        assertJsonError(raw("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            400);
    }

    @Test
    void shouldRefuseBodiesAndHeadersBeyondTheirBoundsWithJson() throws Exception
    {
        final long tooLarge = RestServer.MAX_BODY_BYTES + 1L;
        assertJsonError(raw("POST /size HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + tooLarge +
            "\r\n\r\n"), 413);
        final String header = "X-Big: " + "a".repeat(64 * 1024) + "\r\n";
        final RawAnswer big = raw("GET /echo HTTP/1.1\r\nHost: x\r\n" + header + "\r\n");
        assertTrue(big.status() == 431 || big.status() == 400, big.head());
        assertJsonError(big, big.status());
        final RawAnswer fine = raw("POST /size HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals(200, fine.status(), fine.body());
        assertEquals(3, fine.json().path("bytes").asInt());
    }

    @Test
    void shouldAnswerUnknownPathsMethodsAndHandlerErrorsWithJsonAndKeepServing() throws Exception
    {
        assertJsonError(raw("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404);
        final RawAnswer method = raw("DELETE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertJsonError(method, 405);
        assertEquals("GET", method.header("allow"));
        for (int i = 0; i < 3; i++)
        {
            final RawAnswer failed = raw("GET /fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertJsonError(failed, 500);
            assertEquals("internal error: StackOverflowError: deep", failed.json().path("error").asText());
        }
        assertEquals(200, raw("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void shouldSendResponseHeadersAndStreamedBodies() throws Exception
    {
        endpoints.add("GET", "/events", "test", "a stream", r -> RestResponse.stream(200, "text/event-stream", out ->
        {
            for (int i = 0; i < 3; i++)
            {
                out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }).withHeader("Cache-Control", "no-cache"));
        endpoints.add("GET", "/auth", "test", "echo a header", r -> RestResponse.ok(
            Json.object().put("authorization", r.header("Authorization"))));
        final RawAnswer events = raw("GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, events.status(), events.head());
        assertEquals("text/event-stream", events.header("content-type"));
        assertEquals("no-cache", events.header("cache-control"));
        assertTrue(events.body().contains("data: 0\n\n") && events.body().contains("data: 2\n\n"), events.body());
        final RawAnswer auth = raw("GET /auth HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k\r\n" +
            "Connection: close\r\n\r\n");
        assertEquals("Bearer t0k", auth.json().path("authorization").asText());
    }

    @Test
    void shouldPassEveryRoutedRequestThroughTheFiltersFirst() throws Exception
    {
        server.addFilter(r -> "Bearer good".equals(r.header("authorization")) ? null :
            RestResponse.error(401, "a bearer token is required", null).withHeader("WWW-Authenticate", "Bearer"));
        final RawAnswer refused = raw("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertJsonError(refused, 401);
        assertEquals("Bearer", refused.header("www-authenticate"));
        final RawAnswer allowed = raw("GET /echo?a=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n" +
            "Connection: close\r\n\r\n");
        assertEquals(200, allowed.status(), allowed.body());
    }

    @Test
    void shouldNeverHandAHandlerAPathThatLeavesItsTemplate() throws Exception
    {
        endpoints.add("GET", "/ui/{file...}", "test", "static files", r -> RestResponse.text(200, "text/plain",
            r.pathParam("file")));
        assertEquals("js/app.js", raw("GET /ui/js/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").body());
        for (final String path : new String[] {"/ui/../../etc/passwd", "/ui/%2e%2e/%2e%2e/etc/passwd",
            "/ui/..%2Fsecret", "/ui/a/../../x"})
        {
            final RawAnswer answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.status() == 400 || answer.status() == 404, path + " -> " + answer.head());
            assertJsonError(answer, answer.status());
        }
    }

    @Test
    void shouldKeepAnsweringWhileOtherRequestsAreBusy() throws Exception
    {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(8);
        endpoints.add("GET", "/slow", "test", "blocks until released", r ->
        {
            busy.countDown();
            assertTrue(release.await(30, java.util.concurrent.TimeUnit.SECONDS));
            return RestResponse.ok(Json.object());
        });
        final java.util.List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            clients.add(Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    raw("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }));
        }
        try
        {
            assertTrue(busy.await(30, java.util.concurrent.TimeUnit.SECONDS), "the slow requests did not all start");
            assertEquals(200, raw("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
        }
        finally
        {
            release.countDown();
        }
        for (final Thread client : clients)
        {
            assertTrue(client.join(java.time.Duration.ofSeconds(30)), "a slow request was never answered");
        }
    }
}
