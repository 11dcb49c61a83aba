package org.kotekanj.stage;

import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestResponse;

/**
 * Test stage without buffers that serves REST endpoints ({@code GET /controlled/{item}} echoes the item,
 * {@code POST /controlled/crash} throws) and subscribes to the {@code kotekan_update_endpoint} block named by
 * {@code updatable}, rejecting a negative {@code gain}.
 */
public final class ControlledStage extends Stage
{
    private final AtomicReference<ObjectNode> lastUpdate = new AtomicReference<>();

    public ControlledStage(final StageContext context)
    {
        super(context);
        context.subscribeUpdates("updatable", values ->
        {
            if (values.path("gain").asDouble() < 0)
            {
                return "gain must not be negative";
            }
            lastUpdate.set(values);
            return null;
        });
        context.addEndpoint("GET", "/controlled/{item}", "echoes the item",
            request -> RestResponse.ok(Json.object().put("item", request.pathParam("item"))));
        context.addEndpoint("POST", "/controlled/crash", "always throws", request ->
        {
            throw new IllegalArgumentException("handler bug");
        });
    }

    @Override
    public int doWork()
    {
        return 0;
    }

    /** The values last accepted (the initial ones at start), or {@code null}. */
    public ObjectNode lastUpdate()
    {
        return lastUpdate.get();
    }
}
