package org.kotekanj.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.kotekanj.log.LibraryLogging;
import org.kotekanj.log.Log;

/**
 * The control and monitoring HTTP server, bound to {@code 127.0.0.1:12048} by default like Kotekan's. It runs on
 * Jetty 12 (core API, no servlets) so that every answer, including those to bytes that are not HTTP (a malformed
 * request line, a negative {@code Content-Length}, oversized headers), is a JSON error body; a handler's exception
 * or {@link Error} never reaches the client as a stack trace and never kills a server thread. The work a request can
 * cause is bounded: at most {@link #MAX_THREADS} threads serve requests, headers are at most
 * {@link #MAX_HEADER_BYTES}, bodies at most {@link #MAX_BODY_BYTES}, idle connections close after 30 s.
 */
public final class RestServer implements AutoCloseable
{
    public static final int DEFAULT_PORT = 12048;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** The largest request body read (a config POSTed to {@code /start}, a trigger); larger ones get a 413. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Request line plus headers; larger ones get a 431. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Server threads: the acceptor and selector, and requests (including open streams) served at once. */
    public static final int MAX_THREADS = 64;
    private static final int MIN_THREADS = 4;
    private static final int THREAD_IDLE_MS = 60_000;
    /** Jobs waiting for a thread; beyond this a new connection is closed at once. */
    private static final int MAX_QUEUED = 256;
    private static final int ACCEPT_QUEUE = 64;
    private static final long IDLE_TIMEOUT_MS = 30_000;

    static
    {
        // Jetty's loggers read their settings when first created: quiet them wherever a server is embedded.
        LibraryLogging.configure();
    }

    private final EndpointRegistry endpoints;
    private final RestAccess access;
    private final Server server;
    private final ServerConnector connector;
    private final java.util.List<RestFilter> filters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Log log = Log.of("rest");

    private RestServer(final EndpointRegistry endpoints, final RestAccess access, final String bind, final int port)
    {
        this.endpoints = endpoints;
        this.access = access;
        // Platform threads: a handler that computes for long (a daemon building a big pipeline) cannot starve the
        // acceptor and selector, as it could on the few carriers of virtual threads. Queued jobs are bounded too.
        final QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, THREAD_IDLE_MS,
            new BlockingArrayQueue<>(MAX_QUEUED, MAX_QUEUED, MAX_QUEUED));
        threads.setName("kj-rest");
        threads.setDaemon(true);
        server = new Server(threads);
        final HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        server.setHandler(new Dispatcher());
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(1_000);
    }

    /** Binds and starts; port 0 picks a free port. */
    public static RestServer start(final String bind, final int port, final EndpointRegistry endpoints)
        throws IOException
    {
        return start(bind, port, endpoints, RestAccess.open());
    }

    /** Binds and starts, answering 401 to the requests {@code access} protects unless they carry its token. */
    public static RestServer start(final String bind, final int port, final EndpointRegistry endpoints,
        final RestAccess access) throws IOException
    {
        final RestServer rest = new RestServer(endpoints, access, bind, port);
        try
        {
            rest.server.start();
        }
        catch (final Exception e)
        {
            rest.stopQuietly();
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage() != null ? cause.getMessage() : cause.toString(), e);
        }
        rest.endpoints.add("GET", "/endpoints", "rest", "the endpoints this process serves", r -> rest.listEndpoints());
        return rest;
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    public String address()
    {
        return connector.getHost() + ":" + port();
    }

    private RestResponse listEndpoints()
    {
        final ArrayNode list = Json.MAPPER.createArrayNode();
        for (final EndpointRegistry.Endpoint endpoint : endpoints.list())
        {
            final ObjectNode item = list.addObject();
            item.put("method", endpoint.method());
            item.put("path", endpoint.template());
            item.put("owner", endpoint.owner());
            item.put("description", endpoint.description());
        }
        return RestResponse.ok(list);
    }

    /** Routes every request through the {@link EndpointRegistry}; runs on a server thread and may block. */
    private final class Dispatcher extends Handler.Abstract
    {
        @Override
        public boolean handle(final Request request, final Response response, final Callback callback)
        {
            final String method = request.getMethod();
            RestResponse answer;
            try
            {
                answer = dispatch(request);
            }
            catch (final RestException e)
            {
                answer = RestResponse.error(e.status(), e.getMessage(), e.field());
            }
            catch (final Exception | Error e)
            {
                // An Error (StackOverflowError, OutOfMemoryError from a hostile body) ends this request only.
                log.error(method + " " + request.getHttpURI().getPath() + " failed: " + e);
                answer = RestResponse.error(500, "internal error: " + e.getClass().getSimpleName() +
                    (e.getMessage() != null ? ": " + e.getMessage() : ""), null);
            }
            send(answer, response, callback);
            return true;
        }
    }

    private RestResponse dispatch(final Request request) throws Exception
    {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || path.isEmpty())
        {
            path = "/";
        }
        if (path.length() > 1 && path.endsWith("/"))
        {
            path = path.substring(0, path.length() - 1);
        }
        final String method = request.getMethod();
        final Map<String, String> query = query(request.getHttpURI().getQuery());
        final EndpointRegistry.Match match = endpoints.find("HEAD".equals(method) ? "GET" : method, path);
        if (match == null)
        {
            final TreeSet<String> allowed = endpoints.methodsFor(path);
            if (allowed.isEmpty())
            {
                throw new RestException(404, "no endpoint " + path + " (GET /endpoints lists them)", null);
            }
            return RestResponse.error(405, method + " is not allowed on " + path + "; allowed: " +
                String.join(", ", allowed), null).withHeader("Allow", String.join(", ", allowed));
        }
        // Before the handler, which never sees an unauthenticated request; the body is drained (bounded, as any
        // body) so the client reads the 401 instead of a connection reset.
        final RestResponse refusal = access.refusal(method, request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (refusal != null)
        {
            readBody(request);
            return refusal;
        }
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final HttpField field : request.getHeaders())
        {
            headers.putIfAbsent(field.getName(), field.getValue());
        }
        final byte[] body = readBody(request);
        final RestRequest restRequest = new RestRequest(method, path, match.params(), query, body, headers);
        for (final RestFilter filter : filters)
        {
            final RestResponse stop = filter.filter(restRequest);
            if (stop != null)
            {
                return stop;
            }
        }
        return match.endpoint().handler().handle(restRequest);
    }

    /** Adds a filter that every routed request passes, in the order added, before its handler. */
    public void addFilter(final RestFilter filter)
    {
        filters.add(filter);
    }

    private static byte[] readBody(final Request request) throws IOException
    {
        if (request.getLength() > MAX_BODY_BYTES)
        {
            throw new RestException(413, "request body larger than " + MAX_BODY_BYTES + " bytes", null);
        }
        try (InputStream in = Content.Source.asInputStream(request))
        {
            final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES)
            {
                throw new RestException(413, "request body larger than " + MAX_BODY_BYTES + " bytes", null);
            }
            return body;
        }
    }

    private void send(final RestResponse answer, final Response response, final Callback callback)
    {
        try
        {
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            if (answer.stream() != null)
            {
                try (OutputStream out = Content.Sink.asOutputStream(response))
                {
                    answer.stream().writeTo(out);
                }
            }
            else
            {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
                Content.Sink.write(response, true, ByteBuffer.wrap(answer.body()));
            }
            callback.succeeded();
        }
        catch (final Exception | Error e)
        {
            // The client went away mid-stream, or a stream failed: the connection is closed, nothing else to say.
            callback.failed(e);
        }
    }

    private static Map<String, String> query(final String raw)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty())
        {
            return params;
        }
        for (final String pair : raw.split("&"))
        {
            final int equals = pair.indexOf('=');
            try
            {
                final String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                final String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
            catch (final IllegalArgumentException e)
            {
                final String shown = pair.length() > 64 ? pair.substring(0, 64) + "..." : pair;
                throw new RestException(400, "malformed query string: '" + shown +
                    "' has a % that is not followed by two hexadecimal digits", null);
            }
        }
        return params;
    }

    private void stopQuietly()
    {
        try
        {
            server.stop();
        }
        catch (final Exception e)
        {
            log.warn("stopping the REST server: " + e);
        }
    }

    @Override
    public void close()
    {
        stopQuietly();
        endpoints.removeOwner("rest");
    }
}
