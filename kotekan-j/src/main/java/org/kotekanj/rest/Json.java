package org.kotekanj.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the process, configured strictly (duplicate keys and trailing tokens are errors). */
public final class Json
{
    public static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(SerializationFeature.INDENT_OUTPUT);

    private Json()
    {
    }

    public static ObjectNode object()
    {
        return MAPPER.createObjectNode();
    }

    public static String write(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsString(value);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text; a {@link RestException} 400 naming the problem if it is not valid JSON. */
    public static JsonNode parse(final String text)
    {
        try
        {
            return MAPPER.readTree(text);
        }
        catch (final JsonProcessingException e)
        {
            throw new RestException(400, "malformed JSON: " + e.getOriginalMessage(), null);
        }
    }
}
