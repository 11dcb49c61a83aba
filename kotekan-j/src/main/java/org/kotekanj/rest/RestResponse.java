package org.kotekanj.rest;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An HTTP answer: status, content type and body. */
public record RestResponse(int status, String contentType, byte[] body)
{
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
}
