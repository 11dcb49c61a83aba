package org.kotekanj.stage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;

/**
 * A {@code kotekan_update_endpoint: json} block: values that can change while the pipeline runs (gains, flags),
 * served at {@code /updatable_config/<path>}. A {@code POST} may only set keys the block declares, with values of the
 * same JSON type; subscribed stages may still reject it, in which case nothing changes.
 */
public final class UpdateEndpoint
{
    public static final String PREFIX = "/updatable_config";

    private record Subscriber(String stage, StageContext.UpdateListener listener)
    {
    }

    private final String path;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private ObjectNode values;

    public UpdateEndpoint(final ConfigNode node)
    {
        this.path = node.path();
        final Map<String, Object> map = node.toMap();
        map.remove(ConfigNode.UPDATE_ENDPOINT);
        this.values = Json.MAPPER.valueToTree(map);
    }

    public String path()
    {
        return path;
    }

    public String restPath()
    {
        return PREFIX + path;
    }

    void subscribe(final String stage, final StageContext.UpdateListener listener)
    {
        subscribers.add(new Subscriber(stage, listener));
    }

    public synchronized ObjectNode values()
    {
        return values.deepCopy();
    }

    /** Gives every subscriber the initial values; a rejection here is a start-up failure. */
    public synchronized void publishInitial()
    {
        for (final Subscriber subscriber : subscribers)
        {
            final String problem = subscriber.listener().onUpdate(values.deepCopy());
            if (problem != null)
            {
                throw new IllegalStateException(subscriber.stage() + " rejected the initial values of " + path + ": " +
                    problem);
            }
        }
    }

    public synchronized RestResponse get(final RestRequest request)
    {
        return RestResponse.ok(values);
    }

    public synchronized RestResponse post(final RestRequest request)
    {
        final JsonNode body = request.json();
        if (!(body instanceof ObjectNode update))
        {
            throw new RestException(400, "expected a JSON object of values to update", null);
        }
        final ObjectNode next = values.deepCopy();
        for (final Iterator<Map.Entry<String, JsonNode>> it = update.properties().iterator(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> entry = it.next();
            final JsonNode current = values.get(entry.getKey());
            if (current == null)
            {
                throw new RestException(400, "'" + entry.getKey() + "' is not a value of " + path, entry.getKey());
            }
            if (!sameType(current, entry.getValue()))
            {
                throw new RestException(400, "'" + entry.getKey() + "' must be " + withArticle(describe(current)) +
                    ", got " + describe(entry.getValue()), entry.getKey());
            }
            final String outOfRange = outOfRange(current, entry.getValue());
            if (outOfRange != null)
            {
                throw new RestException(400, "'" + entry.getKey() + "' must be " + outOfRange, entry.getKey());
            }
            // An integer given for a decimal value stays decimal, or the value's type would change with it.
            next.set(entry.getKey(), current.isFloatingPointNumber() && entry.getValue().isIntegralNumber() ?
                DoubleNode.valueOf(entry.getValue().asDouble()) : entry.getValue());
        }
        for (final Subscriber subscriber : subscribers)
        {
            final String problem = subscriber.listener().onUpdate(next.deepCopy());
            if (problem != null)
            {
                throw new RestException(400, subscriber.stage() + " rejected the update: " + problem, null);
            }
        }
        values = next;
        return RestResponse.ok(values);
    }

    /**
     * What the value must be if it cannot be held exactly by the type stages read it as (a 64-bit integer, a finite
     * double), or {@code null}. JSON numbers have no range; a stage's {@code long} and {@code double} do.
     */
    private static String outOfRange(final JsonNode current, final JsonNode value)
    {
        if (current.isIntegralNumber() && !value.canConvertToLong())
        {
            return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ", got " + value.asText();
        }
        if (value.isNumber() && !Double.isFinite(value.asDouble()))
        {
            return "a finite number, at most " + Double.MAX_VALUE + " in magnitude";
        }
        return null;
    }

    private static boolean sameType(final JsonNode a, final JsonNode b)
    {
        if (a.isNumber() && b.isNumber())
        {
            return !a.isIntegralNumber() || b.isIntegralNumber();
        }
        return a.getNodeType() == b.getNodeType() || a.getNodeType() == JsonNodeType.NULL;
    }

    private static String withArticle(final String type)
    {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static String describe(final JsonNode node)
    {
        if (node.isIntegralNumber())
        {
            return "integer";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
