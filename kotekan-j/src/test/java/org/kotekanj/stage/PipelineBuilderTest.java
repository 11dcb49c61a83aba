package org.kotekanj.stage;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.nativeio.CpuTopology;
import org.kotekanj.status.MetricsRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check}: one test per class of config error, each asserting the message, YAML path and line. */
class PipelineBuilderTest
{
    /** A two-CPU, one-node machine, so that messages do not depend on where the tests run. */
    static final CpuTopology TOPOLOGY = new CpuTopology(bits(0, 1), bits(0));

    private final ConfigErrors errors = new ConfigErrors();

    static BitSet bits(final int... indices)
    {
        final BitSet set = new BitSet();
        for (final int index : indices)
        {
            set.set(index);
        }
        return set;
    }

    static StageRegistry registry()
    {
        final StageRegistry registry = new StageRegistry();
        new TestStageLibrary().stages().forEach(registry::add);
        return registry;
    }

    private Pipeline build(final String yaml)
    {
        final ConfigNode root = YamlConfigLoader.parse(yaml, "p.yaml", errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        return PipelineBuilder.build(root, registry(), MetricsRegistry.inMemory(), TOPOLOGY, errors);
    }

    private List<String> check(final String yaml)
    {
        build(yaml);
        return errors.list().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldBuildAValidPipelineWithStagesInDataFlowOrder()
    {
        final Pipeline pipeline = build("""
            num_frames: 4
            frame_size: 64
            sink:
              kotekan_stage: SequenceSink
              in_buf: middle_buf
            relay_site:
              source:
                kotekan_stage: SequenceSource
                out_buf: first_buf
              middle:
                kotekan_stage: SequenceSink
                in_buf: first_buf
              writer:
                kotekan_stage: SequenceSource
                out_buf: middle_buf
            first_buf:
              kotekan_buffer: standard
            middle_buf:
              kotekan_buffer: standard
              num_frames: 2 * num_frames
            """);
        assertTrue(errors.isEmpty(), errors.list().toString());
        assertEquals(List.of("/relay_site/source", "/relay_site/middle", "/relay_site/writer", "/sink"),
            pipeline.stagePaths());
        assertEquals(8, pipeline.buffers().get("middle_buf").numFrames());
        assertEquals(64, pipeline.buffers().get("first_buf").frameSize());
        assertEquals(Pipeline.State.BUILT, pipeline.state());
    }

    @Test
    void shouldNameTheClosestKnownStageTypeForAnUnknownOne()
    {
        assertEquals(List.of("p.yaml:2: /source/kotekan_stage: unknown stage type 'SequenceSorce'; did you mean " +
                "SequenceSource? (kotekan-j stages lists them)",
            "p.yaml:3: /nothing_like_it/kotekan_stage: unknown stage type 'Correlator' (kotekan-j stages lists them)"),
            check("""
                source:
                  kotekan_stage: SequenceSorce
                nothing_like_it: {kotekan_stage: Correlator}
                """));
    }

    @Test
    void shouldReportKeysThatTheStageOrBufferDoesNotRead()
    {
        assertEquals(List.of(
            "p.yaml:8: /sink/delay_ms: unknown key 'delay_ms': nothing reads it here (SequenceSink)",
            "p.yaml:9: /sink/tuning: unknown key 'tuning': nothing reads it here (SequenceSink)",
            "p.yaml:13: /buf/frame_count: unknown key 'frame_count': nothing reads it here (standard)"), check("""
                source:
                  kotekan_stage: SequenceSource
                  out_buf: buf
                  log_level: debug
                sink:
                  kotekan_stage: SequenceSink
                  in_buf: buf
                  delay_ms: 5
                  tuning:
                    spin: true
                buf:
                  kotekan_buffer: standard
                  frame_count: 4
                  num_frames: 4
                  frame_size: 64
                """));
    }

    @Test
    void shouldReportValuesOfTheWrongType()
    {
        assertEquals(List.of(
            "p.yaml:3: /source/num_frames_to_generate: expected an integer, found string \"many\": no value named " +
                "'many' is set on /source or above",
            "p.yaml:4: /source/threading_mode: expected one of dedicated, shared, found string \"pooled\"",
            "p.yaml:5: /source/idle_strategy: expected one of busy_spin, noop, yield, backoff, sleep, found integer 3",
            "p.yaml:11: /buf/num_frames: expected an integer, found list"), check("""
                source:
                  kotekan_stage: SequenceSource
                  num_frames_to_generate: many
                  threading_mode: pooled
                  idle_strategy: 3
                  out_buf: buf
                sink:
                  kotekan_stage: SequenceSink
                  in_buf: buf
                buf:
                  num_frames: [4]
                  kotekan_buffer: standard
                  frame_size: 64
                """));
    }

    @Test
    void shouldReportMissingAndUnknownBuffers()
    {
        assertEquals(List.of(
            "p.yaml:1: /source: missing 'out_buf': the buffer this stage writes",
            "p.yaml:5: /sink/in_buf: no buffer named 'bfu' (buffers: buf)",
            "p.yaml:6: /other/in_buf: names no buffer",
            "p.yaml:9: /buf: buffer buf has no producer: no stage names it as an output"), check("""
                source:
                  kotekan_stage: SequenceSource
                sink:
                  kotekan_stage: SequenceSink
                  in_buf: bfu
                other: {kotekan_stage: SequenceSink, in_buf: []}
                reader:
                  {kotekan_stage: SequenceSink, in_buf: buf}
                buf:
                  kotekan_buffer: standard
                  num_frames: 4
                  frame_size: 64
                """));
    }

    @Test
    void shouldReportBuffersWithoutProducerConsumerOrAnyStage()
    {
        assertEquals(List.of(
            "p.yaml:3: /unused: buffer unused is unused: no stage reads or writes it",
            "p.yaml:5: /unread: buffer unread has no consumer: no stage names it as an input",
            "p.yaml:7: /unwritten: buffer unwritten has no producer: no stage names it as an output"), check("""
                num_frames: 4
                frame_size: 64
                unused:
                  kotekan_buffer: standard
                unread:
                  kotekan_buffer: standard
                unwritten:
                  kotekan_buffer: standard
                source: {kotekan_stage: SequenceSource, out_buf: unread}
                sink: {kotekan_stage: SequenceSink, in_buf: unwritten}
                """));
    }

    @Test
    void shouldReportFramesTooSmallForTheStageThatUsesThem()
    {
        assertEquals(List.of(
            "p.yaml:3: /source: buffer buf has frame_size 16 but /source needs at least 24 (a sequence number at " +
                "byte 16)"), check("""
                num_frames: 4
                frame_size: 16
                source:
                  kotekan_stage: SequenceSource
                  out_buf: buf
                  offset: 16
                sink: {kotekan_stage: SequenceSink, in_buf: buf}
                buf: {kotekan_buffer: standard}
                """));
    }

    @Test
    void shouldReportAffinityToCoresThatDoNotExist()
    {
        assertEquals(List.of(
            "p.yaml:4: /source/cpu_affinity: CPU 7 does not exist (online: 0-1)",
            "p.yaml:4: /source/cpu_affinity: CPU -1 does not exist (online: 0-1)"), check("""
                num_frames: 4
                frame_size: 64
                source:
                  cpu_affinity: [1, 7, -1]
                  kotekan_stage: SequenceSource
                  out_buf: buf
                sink: {kotekan_stage: SequenceSink, in_buf: buf, cpu_affinity: 0}
                buf: {kotekan_buffer: standard}
                """));
    }

    @Test
    void shouldReportExpressionsThatDoNotEvaluate()
    {
        assertEquals(List.of(
            "p.yaml:1: /frame_size: expected an integer, found string \"num_elements * 2\": no value named " +
                "'num_elements' is set on /buf or above",
            "p.yaml:2: /num_frames: must be at least 1, found 0",
            "p.yaml:4: /shutdown_timeout_s: expected a number, found string \"5 +\": expression \"5 +\" ends where a " +
                "value was expected",
            "p.yaml:5: /source/num_frames_to_generate: expected an integer, found string \"zero\": division by " +
                "zero in expression \"8 / (4 - 4)\""), check("""
                frame_size: num_elements * 2
                num_frames: 8 / 4 - 2
                zero: 8 / (4 - 4)
                shutdown_timeout_s: 5 +
                source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: zero}
                sink: {kotekan_stage: SequenceSink, in_buf: buf}
                buf: {kotekan_buffer: standard}
                """));
    }

    @Test
    void shouldReportNumaNodesHugePageModesAndMetadataPoolsThatDoNotExist()
    {
        assertEquals(List.of(
            "p.yaml:2: /pool/kotekan_metadata_pool: unknown metadata kind 'vdifMetadata'; known: SampleMetadata, " +
                "chimeMetadata",
            "p.yaml:7: /buf/numa_node: NUMA node 3 does not exist (online: 0)",
            "p.yaml:8: /buf/hugepages: expected one of auto, required, off, found string \"sometimes\"",
            "p.yaml:9: /buf/metadata_pool: no kotekan_metadata_pool named 'missing_pool'"), check("""
                pool:
                  kotekan_metadata_pool: vdifMetadata
                num_frames: 4
                frame_size: 64
                buf:
                  kotekan_buffer: standard
                  numa_node: 3
                  hugepages: sometimes
                  metadata_pool: missing_pool
                source: {kotekan_stage: SequenceSource, out_buf: buf}
                sink: {kotekan_stage: SequenceSink, in_buf: buf}
                """));
    }

    @Test
    void shouldReportBuffersThatDoNotFitInMemory()
    {
        final List<String> tooBig = check("""
            big: {kotekan_buffer: standard, num_frames: 4, frame_size: 1024 * 1024 * 1024 * 1024}
            source: {kotekan_stage: SequenceSource, out_buf: big}
            sink: {kotekan_stage: SequenceSink, in_buf: big}
            """);
        assertEquals(1, tooBig.size(), tooBig.toString());
        assertTrue(tooBig.get(0).matches("p\\.yaml:1: /: buffers need 4096\\.0 GiB but this machine has [0-9.]+ GiB " +
            "of RAM"), tooBig.get(0));
    }

    @Test
    void shouldSizeARingInSecondsAndRefuseOneThatDoesNotFit()
    {
        // 100 times CHIME's 33 s of 49152-sample frames of 4 freqs x 2048 inputs: 26226 frames, 9835 GiB.
        final List<String> tooBig = check("""
            ring: {kotekan_buffer: standard, ring_seconds: 3300, frame_seconds: 49152 * 2.56e-6,
                   frame_size: 4 * 49152 * 2048}
            source: {kotekan_stage: SequenceSource, out_buf: ring}
            sink: {kotekan_stage: SequenceSink, in_buf: ring}
            """);
        assertEquals(1, tooBig.size(), tooBig.toString());
        assertTrue(tooBig.get(0).matches("p\\.yaml:1: /: buffers need 9835\\.[0-9] GiB but this machine has [0-9.]+ GiB " +
            "of RAM"), tooBig.get(0));
    }

    @Test
    void shouldRefuseARingSizedBothInFramesAndInSeconds()
    {
        final List<String> both = check("""
            ring: {kotekan_buffer: standard, ring_seconds: 1, frame_seconds: 0.1, num_frames: 4, frame_size: 64}
            source: {kotekan_stage: SequenceSource, out_buf: ring}
            sink: {kotekan_stage: SequenceSink, in_buf: ring}
            """);
        assertTrue(both.stream().anyMatch(e -> e.contains("either num_frames or ring_seconds")), both.toString());
    }

    @Test
    void shouldBuildARingSizedInSeconds()
    {
        assertEquals(List.of(), check("""
            ring: {kotekan_buffer: standard, ring_seconds: 1, frame_seconds: 0.1, frame_size: 64}
            source: {kotekan_stage: SequenceSource, out_buf: ring}
            sink: {kotekan_stage: SequenceSink, in_buf: ring}
            """));
    }

    @Test
    void shouldReportBuffersWhoseTotalSizeOverflows()
    {
        final List<String> overflowing = check("""
            big: {kotekan_buffer: standard, num_frames: 2, frame_size: 4611686018427387904}
            source: {kotekan_stage: SequenceSource, out_buf: big}
            sink: {kotekan_stage: SequenceSink, in_buf: big}
            """);
        assertEquals(1, overflowing.size(), overflowing.toString());
        assertTrue(overflowing.get(0).matches("p\\.yaml:1: /: buffers need 8589934592\\.0 GiB but this machine has " +
            "[0-9.]+ GiB of RAM"), overflowing.get(0));
    }

    @Test
    void shouldReportANodeThatDeclaresTwoThingsAndBuffersDeclaredTwice()
    {
        assertEquals(List.of(
            "p.yaml:3: /both: a node declares one thing: kotekan_stage, kotekan_buffer, kotekan_metadata_pool or " +
                "kotekan_update_endpoint",
            "p.yaml:8: /site/buf: a buffer named buf is already declared at /buf"), check("""
                num_frames: 4
                frame_size: 64
                both:
                  kotekan_stage: SequenceSource
                  kotekan_buffer: standard
                buf: {kotekan_buffer: standard}
                site:
                  buf: {kotekan_buffer: standard}
                source: {kotekan_stage: SequenceSource, out_buf: buf}
                sink: {kotekan_stage: SequenceSink, in_buf: buf}
                """));
    }

    @Test
    void shouldReportUpdateEndpointsThatAreNotJsonOrDoNotExist()
    {
        assertEquals(List.of(
            "p.yaml:2: /gains/kotekan_update_endpoint: kotekan_update_endpoint must be \"json\", found string \"xml\"",
            "p.yaml:6: /control/updatable: no kotekan_update_endpoint block at /gain (blocks: /gains)"), check("""
                gains:
                  kotekan_update_endpoint: xml
                  gain: 1.0
                control:
                  kotekan_stage: ControlledStage
                  updatable: /gain
                """));
    }

    @Test
    void shouldReportUpdatableValuesThatJsonCannotCarry()
    {
        assertEquals(List.of(
            "p.yaml:3: /gains/gain: an updatable value must be a finite number, found Infinity",
            "p.yaml:4: /gains/offset: an updatable value must be a finite number, found NaN"), check("""
                gains:
                  kotekan_update_endpoint: json
                  gain: .inf
                  offset: .nan
                control: {kotekan_stage: ControlledStage, updatable: gains}
                """));
    }

    @Test
    void shouldListEveryErrorOfAConfigAtOnceInFileOrder()
    {
        final List<String> all = check("""
            num_frames: 4
            frame_size: 64
            pool: {kotekan_metadata_pool: nope}
            site:
              source:
                kotekan_stage: SequenceSorce
                out_buf: buf
              sink:
                kotekan_stage: SequenceSink
                in_buf: buf
                delay_us: slow
                cpu_affinity: [5]
                colour: red
              small_sink:
                kotekan_stage: SequenceSink
                in_buf: [small, broken]
            buf:
              kotekan_buffer: standard
              hugepages: maybe
              numa_node: 2
              metadata_pool: other
            small:
              kotekan_buffer: standard
              frame_size: 4
            spare:
              kotekan_buffer: standard
            broken:
              kotekan_buffer: standard
              frame_size: num_elements * 8
            """);
        assertEquals(List.of(
            "p.yaml:3: /pool/kotekan_metadata_pool: unknown metadata kind 'nope'; known: SampleMetadata, chimeMetadata",
            "p.yaml:6: /site/source/kotekan_stage: unknown stage type 'SequenceSorce'; did you mean SequenceSource? " +
                "(kotekan-j stages lists them)",
            "p.yaml:11: /site/sink/delay_us: expected an integer, found string \"slow\": no value named 'slow' is " +
                "set on /site/sink or above",
            "p.yaml:12: /site/sink/cpu_affinity: CPU 5 does not exist (online: 0-1)",
            "p.yaml:13: /site/sink/colour: unknown key 'colour': nothing reads it here (SequenceSink)",
            "p.yaml:14: /site/small_sink: buffer small has frame_size 4 but /site/small_sink needs at least 8 (a " +
                "sequence number at byte 0)",
            "p.yaml:17: /buf: buffer buf has no producer: no stage names it as an output",
            "p.yaml:19: /buf/hugepages: expected one of auto, required, off, found string \"maybe\"",
            "p.yaml:20: /buf/numa_node: NUMA node 2 does not exist (online: 0)",
            "p.yaml:21: /buf/metadata_pool: no kotekan_metadata_pool named 'other'",
            "p.yaml:22: /small: buffer small has no producer: no stage names it as an output",
            "p.yaml:25: /spare: buffer spare is unused: no stage reads or writes it",
            "p.yaml:29: /broken/frame_size: expected an integer, found string \"num_elements * 8\": no value named " +
                "'num_elements' is set on /broken or above"), all);
    }

    @Test
    void shouldReportAnInheritedValueThatDoesNotReadOnceNotOncePerReader()
    {
        assertEquals(List.of(
            "p.yaml:2: /frame_size: expected an integer, found string \"2 * bogus\": no value named 'bogus' is set " +
                "on /a or above"), check("""
            num_frames: 4
            frame_size: 2 * bogus
            a: {kotekan_buffer: standard}
            b: {kotekan_buffer: standard}
            src: {kotekan_stage: SequenceSource, out_buf: a}
            snk: {kotekan_stage: SequenceSink, in_buf: a}
            src2: {kotekan_stage: SequenceSource, out_buf: b}
            snk2: {kotekan_stage: SequenceSink, in_buf: b}
            """));
    }

    @Test
    void shouldReportOneErrorPerCauseInTheOperatorsWordsWithoutFollowOns()
    {
        assertEquals(List.of(
            "p.yaml:4: /bad/num_frames: must be at least 1, found 0",
            "p.yaml:6: /b: missing 'samples_per_frame' (an integer): set it here or on a node above",
            "p.yaml:9: /c: cannot be configured: UncheckedSource failed on this config with an internal error " +
                "(NullPointerException); please report it with this config"), check("""
            num_frames: 4
            frame_size: 64
            a: {kotekan_stage: UncheckedSource, out_buf: bad, samples_per_frame: 8}
            bad: {kotekan_buffer: standard, num_frames: 0}
            sa: {kotekan_stage: SequenceSink, in_buf: bad}
            b: {kotekan_stage: UncheckedSource, out_buf: good}
            good: {kotekan_buffer: standard}
            sb: {kotekan_stage: SequenceSink, in_buf: good}
            c: {kotekan_stage: UncheckedSource, out_buf: good2, samples_per_frame: 8, crash: true}
            good2: {kotekan_buffer: standard}
            sc: {kotekan_stage: SequenceSink, in_buf: good2}
            """));
    }
}
