package org.kotekanj.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.kotekanj.log.Log;

/**
 * The control and monitoring HTTP server (JDK {@link HttpServer}, one virtual thread per request), bound to
 * {@code 127.0.0.1:12048} by default like Kotekan's. Every failure is answered with a JSON error body; a handler's
 * exception never reaches the client as a stack trace.
 */
public final class RestServer implements AutoCloseable
{
    public static final int DEFAULT_PORT = 12048;
    public static final String DEFAULT_BIND = "127.0.0.1";
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final EndpointRegistry endpoints;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Log log = Log.of("rest");

    private RestServer(final EndpointRegistry endpoints, final HttpServer server)
    {
        this.endpoints = endpoints;
        this.server = server;
    }

    /** Binds and starts; port 0 picks a free port. */
    public static RestServer start(final String bind, final int port, final EndpointRegistry endpoints)
        throws IOException
    {
        final HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        final RestServer rest = new RestServer(endpoints, http);
        http.createContext("/", rest::serve);
        http.setExecutor(rest.executor);
        http.start();
        rest.endpoints.add("GET", "/endpoints", "rest", "the endpoints this process serves", r -> rest.listEndpoints());
        return rest;
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    public String address()
    {
        return server.getAddress().getHostString() + ":" + port();
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

    private void serve(final HttpExchange exchange) throws IOException
    {
        RestResponse response;
        try
        {
            response = dispatch(exchange);
        }
        catch (final RestException e)
        {
            response = RestResponse.error(e.status(), e.getMessage(), e.field());
        }
        catch (final Exception | Error e)
        {
            log.error(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " failed: " + e);
            response = RestResponse.error(500, "internal error: " + e.getClass().getSimpleName() +
                (e.getMessage() != null ? ": " + e.getMessage() : ""), null);
        }
        try (exchange)
        {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            final byte[] body = "HEAD".equals(exchange.getRequestMethod()) ? new byte[0] : response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0)
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            }
        }
    }

    private RestResponse dispatch(final HttpExchange exchange) throws Exception
    {
        final URI uri = exchange.getRequestURI();
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (path.length() > 1 && path.endsWith("/"))
        {
            path = path.substring(0, path.length() - 1);
        }
        final String method = exchange.getRequestMethod();
        final EndpointRegistry.Match match = endpoints.find("HEAD".equals(method) ? "GET" : method, path);
        if (match == null)
        {
            final TreeSet<String> allowed = endpoints.methodsFor(path);
            if (allowed.isEmpty())
            {
                throw new RestException(404, "no endpoint " + path + " (GET /endpoints lists them)", null);
            }
            exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
            throw new RestException(405, method + " is not allowed on " + path + "; allowed: " +
                String.join(", ", allowed), null);
        }
        final byte[] body = readBody(exchange.getRequestBody());
        final RestRequest request = new RestRequest(method, path, match.params(), query(uri.getRawQuery()), body);
        return match.endpoint().handler().handle(request);
    }

    private static byte[] readBody(final InputStream in) throws IOException
    {
        final byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY)
        {
            throw new RestException(413, "request body larger than " + MAX_BODY + " bytes", null);
        }
        return body;
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
                throw new RestException(400, "malformed query string: " + e.getMessage(), null);
            }
        }
        return params;
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
        endpoints.removeOwner("rest");
    }
}
