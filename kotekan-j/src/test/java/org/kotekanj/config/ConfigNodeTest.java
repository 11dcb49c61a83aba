package org.kotekanj.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigNodeTest
{
    private final ConfigErrors errors = new ConfigErrors();
    private final ConfigNode root = YamlConfigLoader.parse("""
        num_elements: 2048
        frame_size: 4096
        gpu:
          num_elements: 512
          kotekan_buffer: standard
          recv_0:
            kotekan_stage: Receiver
            port: 10001
        other:
          leaf:
            x: 1
        """, "scoping.yaml", errors);

    @Test
    void shouldFindTheNearestAncestorThatSetsAValue()
    {
        assertTrue(errors.isEmpty());
        final ConfigNode recv = root.find("/gpu/recv_0");
        assertEquals(512L, recv.lookup("num_elements").raw());
        assertEquals("/gpu/num_elements", recv.lookup("num_elements").path());
        assertEquals(4096L, recv.lookup("frame_size").raw());
        assertEquals(2048L, root.find("other/leaf").lookup("num_elements").raw());
        assertEquals(10001L, recv.lookup("port").raw());
        assertNull(root.child("gpu").lookup("port"), "values are never seen from above");
        assertNull(recv.own("frame_size"));
    }

    @Test
    void shouldNotInheritKotekanDeclarations()
    {
        assertNull(root.find("/gpu/recv_0").lookup(ConfigNode.BUFFER));
        assertEquals("standard", root.child("gpu").lookup(ConfigNode.BUFFER).raw());
        assertEquals(ConfigNode.STAGE, root.find("/gpu/recv_0").kind());
    }

    @Test
    void shouldSkipOneDefinitionSoThatAValueCanReferToItsParents()
    {
        final ConfigNode gpu = root.child("gpu");
        final ConfigValue own = gpu.own("num_elements");
        assertSame(root.own("num_elements"), gpu.lookup("num_elements", own));
    }

    @Test
    void shouldNamePathsFindNodesAndWalkInFileOrder()
    {
        assertEquals("/", root.path());
        assertEquals("/gpu/recv_0", root.find("gpu/recv_0").path());
        assertSame(root, root.find("/"));
        assertNull(root.find("/gpu/missing"));
        final List<String> visited = new java.util.ArrayList<>();
        root.walk(node -> visited.add(node.path()));
        assertEquals(List.of("/", "/gpu", "/gpu/recv_0", "/other", "/other/leaf"), visited);
    }

    @Test
    void shouldExportTheTreeAsPlainMaps()
    {
        final Map<String, Object> map = root.find("other").toMap();
        assertEquals(Map.of("leaf", Map.of("x", 1L)), map);
    }
}
