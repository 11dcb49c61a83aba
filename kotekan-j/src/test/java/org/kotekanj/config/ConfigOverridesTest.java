package org.kotekanj.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigOverridesTest
{
    private final ConfigErrors errors = new ConfigErrors();
    private final ConfigNode root = YamlConfigLoader.parse("""
        num_elements: 2048
        gpu:
          recv_0:
            port: 10001
        """, "o.yaml", errors);

    @Test
    void shouldOverrideAndAddValuesKeepingTheirTypes()
    {
        ConfigOverrides.apply(root, List.of("num_elements=256", "gpu/recv_0/port=10002", "gpu.recv_0.cpus=[0, 1]",
            "/gpu/gain=0.25", "gpu/recv_0/name=cx", "frame_size=num_elements * 2"), errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        assertEquals(256L, root.own("num_elements").raw());
        assertEquals(10002L, root.find("gpu/recv_0").own("port").raw());
        assertEquals(List.of(0L, 1L), root.find("gpu/recv_0").own("cpus").raw());
        assertEquals(0.25, root.child("gpu").own("gain").raw());
        assertEquals("cx", root.find("gpu/recv_0").own("name").raw());
        assertEquals(512L, new StageConfig(root.find("gpu/recv_0"), errors).getLong("frame_size"));
    }

    @Test
    void shouldReportEveryBadOverride()
    {
        ConfigOverrides.apply(root, List.of("no_equals", "nowhere/x=1", "gpu/recv_0/port={a: 1}", "x=[1, 2"), errors);
        assertEquals(List.of(
            "--set: gpu/recv_0/port={a: 1}: --set takes scalars and lists, not maps",
            "--set: no_equals: expected key=value",
            "--set: nowhere/x: no such node in the config",
            "--set: x=[1, 2: cannot read the value"),
            errors.list().stream().map(ConfigError::toString).toList());
    }
}
