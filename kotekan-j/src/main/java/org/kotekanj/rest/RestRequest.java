package org.kotekanj.rest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** One HTTP request as handlers see it: method, path, path parameters ({@code /baseband/{id}}), query and body. */
public record RestRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
    byte[] body)
{
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
}
