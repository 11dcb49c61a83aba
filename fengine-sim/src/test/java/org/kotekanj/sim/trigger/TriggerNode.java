package org.kotekanj.sim.trigger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A node's REST API reduced to {@code POST /baseband} for trigger tests: a JDK HTTP server on 127.0.0.1, port 0, that
 * records every request it gets and answers each with a fixed status.
 */
public final class TriggerNode implements AutoCloseable
{
    /** One request as the node saw it, with its arrival time on {@link System#nanoTime()}. */
    public record Received(String method, String path, String contentType, String body, long nanos)
    {
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();

    private TriggerNode(final HttpServer server)
    {
        this.server = server;
    }

    /** A node that answers every trigger with {@code status} and {@code reply} as its JSON body. */
    public static TriggerNode answering(final int status, final String reply) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        final TriggerNode node = new TriggerNode(server);
        server.createContext("/baseband", exchange ->
        {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final Received received = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, System.nanoTime());
            node.all.add(received);
            node.arrivals.add(received);
            final byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return node;
    }

    /** A loopback URL where nothing listens (a port just bound and released), so a connection is refused. */
    public static URI unreachable() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    public URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request, waiting up to {@code seconds}; {@code null} if none came. */
    public Received next(final double seconds) throws InterruptedException
    {
        return arrivals.poll((long)(seconds * 1e9), TimeUnit.NANOSECONDS);
    }

    /** Every request so far. */
    public List<Received> received()
    {
        return List.copyOf(all);
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
