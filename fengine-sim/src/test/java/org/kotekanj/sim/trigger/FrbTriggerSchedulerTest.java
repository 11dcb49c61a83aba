package org.kotekanj.sim.trigger;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.SimConfigs;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.send.SimulatorRun;
import org.kotekanj.sim.signal.FrbPulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger wired to a run's sending loop, driven by hand with pcap output (64 steps per call) so the test knows
 * which call sent t0 and needs no UDP sockets.
 */
class FrbTriggerSchedulerTest
{
    private static final long LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How long any wait here may take: the trigger settles within its latency plus two seconds. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<FrbTriggerOutcome> outcomes = new CopyOnWriteArrayList<>();

    @Test
    void shouldPostOneTriggerForThePulseOnlyOnceT0HasBeenSentAndTheLatencyPassed() throws Exception
    {
        try (TriggerNode node = TriggerNode.answering(202, "{\"event_id\": 31, \"freqs\": {}}"))
        {
            final SimulatorConfig config = config(node.url(), 600);
            long t0SentBefore = 0;
            try (SimulatorRun run = SimulatorRun.open(config, false);
                 FrbTriggerScheduler trigger = new FrbTriggerScheduler(config.frbTrigger(), outcomes::add))
            {
                int calls = 0;
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!run.isFinished())
                {
                    assertTrue(System.nanoTime() < deadline, "the run did not finish within " + DEADLINE);
                    final long before = System.nanoTime();
                    final boolean sentBefore = run.hasSent(600);
                    run.doWork();
                    calls++;
                    trigger.afterSend(run);
                    assertEquals(run.hasSent(600), trigger.isPosted(), "posted exactly when t0 was sent");
                    if (!sentBefore && run.hasSent(600))
                    {
                        t0SentBefore = before;
                        assertEquals(5, calls, "step 300 holds seq 600: the fifth call of 64 steps");
                    }
                }
                awaitSettled(trigger, DEADLINE);
            }

            final TriggerNode.Received post = node.next(0);
            assertNotNull(post, "the node got the trigger before the run was over");
            assertTrue(post.nanos() - t0SentBefore >= LATENCY_NANOS, "posted before t0 was sent + latency");
            final FrbPulse pulse = new FrbPulse(600, 12.5, 16, 3, 400.0, FrbPulse.K_DM, 2560);
            final ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree(Json.write(FrbTriggerRequest.of(pulse, 31, "sim/scheduler").withFreqIds(0, 1)
                .toJson())), json.readTree(post.body()));
            assertEquals(1, node.received().size());
            assertEquals(1, outcomes.size());
            assertTrue(outcomes.getFirst().accepted(), outcomes.toString());
            assertEquals(202, outcomes.getFirst().status());
        }
    }

    @Test
    void shouldReportARefusingNodeWithItsStatusAndBody() throws Exception
    {
        try (TriggerNode node = TriggerNode.answering(503, "{\"error\": \"dump queue full\", \"field\": \"\"}"))
        {
            final FrbTriggerOutcome outcome = runTo(node.url());

            assertFalse(outcome.accepted());
            assertEquals(503, outcome.status());
            assertTrue(outcome.toString().contains("503 {\"error\": \"dump queue full\""), outcome.toString());
        }
    }

    @Test
    void shouldReportAnUnreachableNodeWithoutFailingTheRun() throws Exception
    {
        final FrbTriggerOutcome outcome = runTo(TriggerNode.unreachable());

        assertFalse(outcome.accepted());
        assertEquals(0, outcome.status());
        assertTrue(outcome.detail().startsWith("no reply (ConnectException"), outcome.toString());
    }

    @Test
    void shouldPostNothingWhenTheRunStopsBeforeT0() throws Exception
    {
        try (TriggerNode node = TriggerNode.answering(202, "{}"))
        {
            final SimulatorConfig config = config(node.url(), 600);
            try (SimulatorRun run = SimulatorRun.open(config, false);
                 FrbTriggerScheduler trigger = new FrbTriggerScheduler(config.frbTrigger(), outcomes::add))
            {
                run.doWork();
                trigger.afterSend(run);
                run.requestStop();
                driveToEnd(run, trigger);

                assertFalse(trigger.isPosted());
                assertTrue(trigger.isSettled());
            }
            assertTrue(node.received().isEmpty());
            assertTrue(outcomes.isEmpty());
        }
    }

    /** Runs the whole pcap, then waits for the trigger's one outcome. */
    private FrbTriggerOutcome runTo(final URI url) throws Exception
    {
        final SimulatorConfig config = config(url, 100);
        try (SimulatorRun run = SimulatorRun.open(config, false);
             FrbTriggerScheduler trigger = new FrbTriggerScheduler(config.frbTrigger(), outcomes::add))
        {
            driveToEnd(run, trigger);
            awaitSettled(trigger, DEADLINE);
        }
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.getFirst();
    }

    @Test
    void shouldFailAWaitAtItsDeadlineInsteadOfHanging() throws Exception
    {
        // A node that takes the connection and never answers: the trigger stays unsettled for its latency + 2 s.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final SimulatorConfig config = config(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"), 100);
            try (SimulatorRun run = SimulatorRun.open(config, false);
                 FrbTriggerScheduler trigger = new FrbTriggerScheduler(config.frbTrigger(), outcomes::add))
            {
                driveToEnd(run, trigger);
                assertTrue(trigger.isPosted());
                final long start = System.nanoTime();
                final AssertionError error = assertThrows(AssertionError.class,
                    () -> awaitSettled(trigger, Duration.ofMillis(100)));
                assertEquals("the trigger did not settle within PT0.1S", error.getMessage());
                assertTrue(System.nanoTime() - start < DEADLINE.toNanos());
            }
        }
    }

    /** Sends the whole run, handing each step to the trigger; fails if it does not end by the deadline. */
    private static void driveToEnd(final SimulatorRun run, final FrbTriggerScheduler trigger)
        throws java.io.IOException
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!run.isFinished())
        {
            assertTrue(System.nanoTime() < deadline, "the run did not finish within " + DEADLINE);
            run.doWork();
            trigger.afterSend(run);
        }
    }

    /** Waits for the trigger's outcome; fails (rather than hangs) if it has none by {@code limit}. */
    private static void awaitSettled(final FrbTriggerScheduler trigger, final Duration limit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!trigger.isSettled())
        {
            if (System.nanoTime() >= deadline)
            {
                throw new AssertionError("the trigger did not settle within " + limit);
            }
            Thread.sleep(5);
        }
    }

    private SimulatorConfig config(final URI url, final long t0Seq)
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage("""
            profile: single-board
            links: [0]
            count: 400
            pcap: %s
            signal: {type: frb, base: {type: const}, t0_seq: %d, dm: 12.5, width_samples: 16}
            frb_trigger: {url: '%s', event_id: 31, latency_s: 0.2, file_path: sim/scheduler, freq_ids: [0, 1]}
            """.formatted(dir.resolve("run.pcap"), t0Seq, url), errors));
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        return config;
    }
}
