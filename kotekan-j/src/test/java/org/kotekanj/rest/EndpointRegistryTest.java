package org.kotekanj.rest;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointRegistryTest
{
    private static final RestHandler NONE = request -> RestResponse.ok("");

    private final EndpointRegistry registry = new EndpointRegistry();

    @Test
    void shouldPreferLiteralPathsAndBindTemplateSegments()
    {
        registry.add("get", "/baseband/{id}", "stage", "one dump", NONE);
        registry.add("GET", "/baseband/status", "stage", "all dumps", NONE);
        registry.add("POST", "/baseband", "stage", "trigger", NONE);
        assertEquals("/baseband/status", registry.find("GET", "/baseband/status").endpoint().template());
        final EndpointRegistry.Match dump = registry.find("GET", "/baseband/42");
        assertEquals("/baseband/{id}", dump.endpoint().template());
        assertEquals(Map.of("id", "42"), dump.params());
        assertNull(registry.find("GET", "/baseband/42/x"));
        assertNull(registry.find("GET", "/baseband/"));
        assertNull(registry.find("DELETE", "/baseband/42"));
        assertEquals(new TreeSet<>(List.of("POST")), registry.methodsFor("/baseband"));
        assertEquals(new TreeSet<>(List.of("GET")), registry.methodsFor("/baseband/7"));
    }

    @Test
    void shouldRefuseASecondHandlerForTheSameRouteAndRemoveAnOwnersRoutes()
    {
        registry.add("GET", "/status", "core", "state", NONE);
        assertEquals("endpoint GET /status is already served by core", assertThrows(IllegalArgumentException.class,
            () -> registry.add("get", "/status", "pipeline@1", "again", NONE)).getMessage());
        registry.add("GET", "/gains", "pipeline@1", "gains", NONE);
        registry.add("POST", "/gains", "pipeline@1", "gains", NONE);
        registry.removeOwner("pipeline@1");
        assertEquals(List.of("/status"), registry.list().stream().map(EndpointRegistry.Endpoint::template).toList());
    }

    @Test
    void shouldLetALastRestSegmentTakeTheRestOfThePath()
    {
        registry.add("GET", "/ui/{file...}", "ops", "static files", NONE);
        registry.add("GET", "/ui/index", "ops", "the index", NONE);
        assertEquals(Map.of("file", "js/app.js"), registry.find("GET", "/ui/js/app.js").params());
        assertEquals(Map.of("file", "style.css"), registry.find("GET", "/ui/style.css").params());
        assertEquals("/ui/index", registry.find("GET", "/ui/index").endpoint().template());
        assertNull(registry.find("GET", "/ui"));
        assertNull(registry.find("GET", "/other/x"));
    }
}
