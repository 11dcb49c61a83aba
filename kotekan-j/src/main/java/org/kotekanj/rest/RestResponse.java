package org.kotekanj.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An HTTP answer: status, content type, and either a whole body or a {@link BodyStream} that writes it as it goes
 * (server-sent events, large files); extra headers with {@link #withHeader}.
 */
public record RestResponse(int status, String contentType, byte[] body, Map<String, String> headers,
    BodyStream stream)
{
    /** Writes a streamed body; it runs on the request's thread until it returns or the client goes away. */
    @FunctionalInterface
    public interface BodyStream
    {
        /** Write to {@code out}, {@code flush()} to push what was written to the client (one SSE event). */
        void writeTo(OutputStream out) throws IOException;
    }

    public RestResponse
    {
        headers = Map.copyOf(headers);
    }

    public RestResponse(final int status, final String contentType, final byte[] body)
    {
        this(status, contentType, body, Map.of(), null);
    }

    public static RestResponse json(final int status, final Object value)
    {
        return new RestResponse(status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    public static RestResponse ok(final Object value)
    {
        return json(200, value);
    }

    public static RestResponse text(final int status, final String contentType, final String text)
    {
        return new RestResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A body written as it is produced, for example {@code text/event-stream}. */
    public static RestResponse stream(final int status, final String contentType, final BodyStream stream)
    {
        return new RestResponse(status, contentType, new byte[0], Map.of(), stream);
    }

    /** The JSON error body every failure uses: {@code {"error": "...", "field": "..."}}. */
    public static RestResponse error(final int status, final String message, final String field)
    {
        final ObjectNode body = Json.object();
        body.put("error", message);
        if (field != null)
        {
            body.put("field", field);
        }
        return json(status, body);
    }

    /** This answer with one more header (replacing one of the same name). */
    public RestResponse withHeader(final String name, final String value)
    {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RestResponse(status, contentType, body, more, stream);
    }
}
