package org.kotekanj.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.pcap.PcapReader;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.MetricsRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FengineSimulatorTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRunInAPipelineAndFinishSoThePipelineDrains() throws Exception
    {
        final Path pcap = dir.resolve("stage.pcap");
        final Path truth = dir.resolve("truth.jsonl");
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            log_level: warn
            sim:
              kotekan_stage: FengineSimulator
              profile: chime
              slot: 1
              signal: {type: const, real: 2, imag: -3}
              count: 100
              pcap: %s
              ground_truth: %s
              impairments:
                duplicate: {rate: 0.05}
            """.formatted(pcap, truth), "pipeline.yaml", errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));

        pipeline.start(metrics, new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(20)), "the stage finished by itself");
        pipeline.stop();

        assertNull(pipeline.failure());
        long datagrams = 0;
        try (PcapReader reader = PcapReader.open(pcap))
        {
            while (reader.next())
            {
                datagrams++;
                assertEquals((byte)0xA5, reader.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE,
                    reader.payloadOffset() + 16), "const signal 2-3i");
            }
        }
        final long duplicates = Files.readAllLines(truth).stream()
            .filter(l -> l.startsWith("{\"event\":\"duplicate\"")).count();
        assertTrue(duplicates > 0);
        assertEquals(400 + duplicates, datagrams);
        assertTrue(metrics.prometheus().contains("kotekan_sim_datagrams_sent_total{stage_name=\"/sim\"} " + datagrams),
            metrics.prometheus());
    }

    @Test
    void shouldReportConfigErrorsAtCheckTimeWithoutOpeningAnything()
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse("""
            sim:
              kotekan_stage: FengineSimulator
              destinations: 192.168.1.5:10000
              rate: x3
              impairments:
                los: {rate: 0.1}
            """, "pipeline.yaml", errors);
        PipelineBuilder.build(root, StageRegistry.discover(), MetricsRegistry.inMemory(), errors);

        final String all = SimConfigs.describe(errors);
        assertTrue(all.contains("'192.168.1.5:10000' is not a loopback address"), all);
        assertTrue(all.contains("los"), all);
    }
}
