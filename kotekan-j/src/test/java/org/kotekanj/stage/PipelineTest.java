package org.kotekanj.stage;

import java.time.Duration;
import java.util.Arrays;

import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.nativeio.CpuTopology;
import org.kotekanj.nativeio.Libc;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.status.MetricsRegistry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The stage runtime: start order, threading, pinning, drain, failure and the metrics each stage and buffer keeps. */
class PipelineTest
{
    private final MetricsRegistry metrics = MetricsRegistry.inMemory();
    private Pipeline pipeline;

    @AfterEach
    void stop()
    {
        if (pipeline != null && pipeline.state() != Pipeline.State.BUILT)
        {
            pipeline.stop();
        }
    }

    private Pipeline start(final String yaml)
    {
        final ConfigErrors errors = new ConfigErrors();
        pipeline = PipelineBuilder.build(YamlConfigLoader.parse(yaml, "p.yaml", errors), PipelineBuilderTest.registry(),
            metrics, CpuTopology.read(), errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        pipeline.start(metrics, new EndpointRegistry());
        return pipeline;
    }

    private SequenceSource source(final String path)
    {
        return (SequenceSource)pipeline.stage(path);
    }

    private SequenceSink sink(final String path)
    {
        return (SequenceSink)pipeline.stage(path);
    }

    private long counter(final String label)
    {
        final CountersReader reader = metrics.reader();
        final long[] found = {Long.MIN_VALUE};
        reader.forEach((value, id, text) ->
        {
            if (text.equals(label))
            {
                found[0] = value;
            }
        });
        if (found[0] == Long.MIN_VALUE)
        {
            fail("no counter " + label);
        }
        return found[0];
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldStartConsumersBeforeTheirProducers()
    {
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: a, num_frames_to_generate: 10}
            relay_in: {kotekan_stage: SequenceSink, in_buf: a}
            second: {kotekan_stage: SequenceSource, out_buf: b, num_frames_to_generate: 10}
            sink: {kotekan_stage: SequenceSink, in_buf: b}
            a: {kotekan_buffer: standard}
            b: {kotekan_buffer: standard}
            """);
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(10)));
        assertTrue(sink("/relay_in").probe().startNanos() < source("/source").probe().startNanos());
        assertTrue(sink("/sink").probe().startNanos() < source("/second").probe().startNanos());
    }

    @Test
    void shouldDrainEveryProducedFrameAndCloseEveryStageOnStop()
    {
        start("""
            num_frames: 8
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            fast: {kotekan_stage: SequenceSink, in_buf: buf}
            slow: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 200}
            buf: {kotekan_buffer: standard}
            """);
        awaitTrue(() -> sink("/slow").consumed() >= 20, "the slow sink has read 20 frames");
        assertTrue(pipeline.stop(), "drained within the shutdown timeout");
        final long produced = source("/source").produced();
        assertTrue(produced >= 20);
        for (final String path : new String[] {"/fast", "/slow"})
        {
            assertEquals(produced, sink(path).consumed(), path);
            assertEquals(produced, sink(path).consumedAtClose(), path + " closed after reading every frame");
            assertEquals(0, sink(path).mismatches(), path);
        }
        assertTrue(source("/source").probe().isClosed());
        assertEquals(Pipeline.State.STOPPED, pipeline.state());
        assertNull(pipeline.failure());
        assertFalse(pipeline.buffers().get("buf").isAllocated(), "stop unmaps the buffers");
    }

    @Test
    void shouldDrainWhenASourceFinishesByItself()
    {
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: 1000}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """);
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(10)));
        assertEquals(1000, sink("/sink").consumedAtClose());
        assertEquals(0, sink("/sink").mismatches());
    }

    @Test
    void shouldFailToStartAndNameTheStageWhenItsOnStartThrows()
    {
        final ConfigErrors errors = new ConfigErrors();
        pipeline = PipelineBuilder.build(YamlConfigLoader.parse("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            gpu: {kotekan_stage: FailingStage, in_buf: buf, fail_at_start: true}
            buf: {kotekan_buffer: standard}
            """, "p.yaml", errors), PipelineBuilderTest.registry(), metrics, CpuTopology.read(), errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> pipeline.start(metrics, new EndpointRegistry()));
        assertEquals("stage /gpu: no device", e.getMessage());
        assertEquals(Pipeline.State.FAILED, pipeline.state());
    }

    @Test
    void shouldStopThePipelineAndNameTheStageWhenAStageThrows()
    {
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            site:
              breaker: {kotekan_stage: FailingStage, in_buf: buf, fail_at_frame: 3}
            buf: {kotekan_buffer: standard}
            """);
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(10)), "every stage closes after a failure");
        assertEquals(Pipeline.State.FAILED, pipeline.state());
        assertTrue(pipeline.failure().startsWith("stage /site/breaker (FailingStage) failed: " +
            "java.lang.IllegalStateException: boom at frame 3 at org.kotekanj.stage.FailingStage.doWork("),
            pipeline.failure());
        assertTrue(source("/source").probe().isClosed());
        assertEquals(1, counter("kotekan_stage_errors_total{stage_name=\"/site/breaker\"}"));
        pipeline.stop();
        assertEquals(Pipeline.State.FAILED, pipeline.state());
    }

    @Test
    void shouldPinEachThreadToItsStagesCpus()
    {
        final int[] online = Libc.currentThreadAffinity();
        final int last = online[online.length - 1];
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, cpu_affinity: [%d]}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, cpu_affinity: %d}
            free: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """.formatted(last, online[0]));
        awaitTrue(() -> source("/source").probe().affinity() != null && sink("/sink").probe().affinity() != null &&
            sink("/free").probe().affinity() != null, "every stage has run");
        assertArrayEquals(new int[] {last}, source("/source").probe().affinity());
        assertArrayEquals(new int[] {online[0]}, sink("/sink").probe().affinity());
        assertArrayEquals(online, sink("/free").probe().affinity(), "a stage without cpu_affinity is not pinned");
        assertArrayEquals(online, Libc.currentThreadAffinity(), "pinning a stage does not pin the caller");
    }

    @Test
    void shouldRunSharedStagesOnOneThreadPinnedToTheUnionOfTheirCpus()
    {
        final int[] online = Libc.currentThreadAffinity();
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, threading_mode: shared, cpu_affinity: [%d]}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, threading_mode: shared, cpu_affinity: [%d]}
            own: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """.formatted(online[0], online[online.length - 1]));
        awaitTrue(() -> sink("/own").probe().affinity() != null && sink("/sink").probe().affinity() != null &&
            source("/source").probe().affinity() != null, "every stage has run");
        assertEquals("kjshared", source("/source").probe().threadName());
        assertEquals("kjshared", sink("/sink").probe().threadName());
        assertEquals("kj-own", sink("/own").probe().threadName());
        final int[] union = Arrays.stream(new int[] {online[0], online[online.length - 1]}).distinct().sorted()
            .toArray();
        assertArrayEquals(union, sink("/sink").probe().affinity());
        assertTrue(pipeline.stop());
        assertEquals(source("/source").produced(), sink("/sink").consumed());
        assertEquals(source("/source").produced(), sink("/own").consumed());
    }

    @Test
    void shouldMakeAFrameReadableOnlyOnceEveryProducerHasPublishedIt()
    {
        start("""
            num_frames: 4
            frame_size: 16
            low: {kotekan_stage: SequenceSource, out_buf: buf, offset: 0, num_frames_to_generate: 2000}
            high: {kotekan_stage: SequenceSource, out_buf: buf, offset: 8, num_frames_to_generate: 2000}
            read_low: {kotekan_stage: SequenceSink, in_buf: buf, offset: 0}
            read_high: {kotekan_stage: SequenceSink, in_buf: buf, offset: 8}
            buf: {kotekan_buffer: standard}
            """);
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(10)));
        assertEquals(2000, sink("/read_low").consumed());
        assertEquals(0, sink("/read_low").mismatches());
        assertEquals(2000, sink("/read_high").consumed());
        assertEquals(0, sink("/read_high").mismatches());
    }

    @Test
    void shouldCountCyclesWorkIdleTimeAndWaitsPerStageAndBuffer()
    {
        start("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: 300}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 1000}
            buf: {kotekan_buffer: standard}
            """);
        awaitTrue(() -> sink("/sink").consumed() >= 20, "the sink has read 20 frames");
        // A fast producer keeps a slow consumer's buffer at least half full; sampled until a sample shows it, since
        // on a loaded machine the producer may be descheduled at any one sample.
        awaitTrue(() ->
        {
            metrics.sample();
            return counter("kotekan_buffer_fill_ratio{stage_name=\"/buf\",buffer=\"buf\"}") >= 500_000 &&
                counter("kotekan_buffer_frames_full{stage_name=\"/buf\",buffer=\"buf\"}") >= 1;
        }, "a sample shows the slow consumer's buffer at least half full");
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(10)));
        metrics.sample();
        for (final String stage : new String[] {"/source", "/sink"})
        {
            final String label = "{stage_name=\"" + stage + "\"}";
            assertEquals(300, counter("kotekan_stage_work_cycles_total" + label), stage);
            assertEquals(300, counter("kotekan_stage_work_done_total" + label), stage);
        }
        assertTrue(counter("kotekan_stage_idle_cycles_total{stage_name=\"/source\"}") > 0);
        assertTrue(counter("kotekan_stage_max_cycle_seconds{stage_name=\"/sink\"}") >= 1_000_000,
            "the sink sleeps 1 ms per frame");
        assertTrue(counter("kotekan_buffer_producer_waits_total{stage_name=\"/source\",buffer=\"buf\"}") > 0);
        assertEquals(0, counter("kotekan_buffer_frames_full{stage_name=\"/buf\",buffer=\"buf\"}"));
        final String prometheus = metrics.prometheus();
        assertTrue(prometheus.contains("kotekan_stage_cycle_time_seconds_count{stage_name=\"/sink\"} 300\n"),
            prometheus);
        assertTrue(prometheus.contains(
            "kotekan_stage_cycle_time_seconds_bucket{stage_name=\"/sink\",le=\"1.0E-4\"} 0\n"), prometheus);
        assertNotEquals(-1, prometheus.indexOf("kotekan_stage_idle_ratio{stage_name=\"/source\"} "));
    }
}
