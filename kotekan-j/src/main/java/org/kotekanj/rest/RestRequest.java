package org.kotekanj.rest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP request as handlers see it: method, path, path parameters ({@code /baseband/{id}}), query, body (already
 * read, at most {@link RestServer#MAX_BODY_BYTES}) and headers (names case-insensitive).
 */
public record RestRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
    byte[] body, Map<String, String> headers)
{
    public RestRequest
    {
        final TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = java.util.Collections.unmodifiableMap(caseless);
    }

    /** A request without headers (tests, internal calls). */
    public RestRequest(final String method, final String path, final Map<String, String> pathParams,
        final Map<String, String> query, final byte[] body)
    {
        this(method, path, pathParams, query, body, Map.of());
    }

    public String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; 400 if it is empty or malformed. */
    public JsonNode json()
    {
        if (body.length == 0)
        {
            throw new RestException(400, "the request needs a JSON body", null);
        }
        return Json.parse(bodyText());
    }

    public String pathParam(final String name)
    {
        return pathParams.get(name);
    }

    /** A request header's value (the first one if repeated), {@code null} if absent. */
    public String header(final String name)
    {
        return headers.get(name);
    }
}
