package org.kotekanj.sim;

import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.pcap.PcapReader;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.signal.FrbPulse;
import org.kotekanj.sim.trigger.FrbTriggerRequest;
import org.kotekanj.sim.trigger.TriggerNode;
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
        final MetricsRegistry metrics = runPipeline("""
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
            """.formatted(pcap, truth));

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
    void shouldPostTheBurstsTriggerAndCountTheAcceptedReply() throws Exception
    {
        try (TriggerNode node = TriggerNode.answering(202, "{\"event_id\": 5, \"freqs\": {}}"))
        {
            final MetricsRegistry metrics = runWithTrigger(node.url());

            assertEquals(1, node.received().size());
            final FrbPulse pulse = new FrbPulse(600, 12.5, 16, 3, 400.0, FrbPulse.K_DM, 2560);
            final ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree(Json.write(FrbTriggerRequest.of(pulse, 5, "stage").withDmError(0.25).toJson())),
                json.readTree(node.received().getFirst().body()));
            assertTrue(metrics.prometheus().contains("kotekan_sim_triggers_sent_total{stage_name=\"/sim\"} 1"),
                metrics.prometheus());
            assertTrue(metrics.prometheus().contains("kotekan_sim_trigger_errors_total{stage_name=\"/sim\"} 0"),
                metrics.prometheus());
        }
    }

    @Test
    void shouldCountARefusedAndAnUnreachableTriggerWithoutFailing() throws Exception
    {
        try (TriggerNode node = TriggerNode.answering(503, "{\"error\": \"dump queue full\", \"field\": \"\"}"))
        {
            final String refused = runWithTrigger(node.url()).prometheus();

            assertEquals(1, node.received().size());
            assertTrue(refused.contains("kotekan_sim_trigger_errors_total{stage_name=\"/sim\"} 1"), refused);
            assertTrue(refused.contains("kotekan_sim_triggers_sent_total{stage_name=\"/sim\"} 0"), refused);
        }
        final String unreachable = runWithTrigger(TriggerNode.unreachable()).prometheus();
        assertTrue(unreachable.contains("kotekan_sim_trigger_errors_total{stage_name=\"/sim\"} 1"), unreachable);
    }

    /** Runs a pcap pipeline whose frb burst is triggered at {@code url}. */
    private MetricsRegistry runWithTrigger(final URI url)
    {
        return runPipeline("""
            log_level: error
            sim:
              kotekan_stage: FengineSimulator
              profile: single-board
              links: [0]
              signal: {type: frb, base: {type: const}, t0_seq: 600, dm: 12.5, width_samples: 16}
              count: 400
              pcap: %s
              frb_trigger: {url: '%s', event_id: 5, latency_s: 0.1, file_path: stage, dm_error: 0.25}
            """.formatted(dir.resolve("trigger.pcap"), url));
    }

    /** Runs a pipeline until its stages finish by themselves; asserts it was valid and did not fail. */
    private static MetricsRegistry runPipeline(final String yaml)
    {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(yaml, "pipeline.yaml", errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));

        pipeline.start(metrics, new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(20)), "the stage finished by itself");
        pipeline.stop();

        assertNull(pipeline.failure());
        return metrics;
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
              frb_trigger: {url: 'http://127.0.0.1:1', event_id: 1}
            """, "pipeline.yaml", errors);
        PipelineBuilder.build(root, StageRegistry.discover(), MetricsRegistry.inMemory(), errors);

        final String all = SimConfigs.describe(errors);
        assertTrue(all.contains("'192.168.1.5:10000' is not a loopback address"), all);
        assertTrue(all.contains("los"), all);
        assertTrue(all.contains("pipeline.yaml:7: /sim/frb_trigger: frb_trigger needs signal: {type: frb"), all);
    }
}
