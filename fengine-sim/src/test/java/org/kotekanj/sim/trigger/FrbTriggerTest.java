package org.kotekanj.sim.trigger;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.sim.signal.FrbPulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trigger against a local HTTP server standing in for a node's REST API. */
class FrbTriggerTest
{
    private static final FrbPulse PULSE = new FrbPulse(123_456_789, 512.25, 390, 3, 400.0, FrbPulse.K_DM, 2560);

    private TriggerNode node;

    @BeforeEach
    void setUp() throws IOException
    {
        node = TriggerNode.answering(202, "{\"event_id\": 77, \"freqs\": {}}");
    }

    @AfterEach
    void tearDown()
    {
        node.close();
    }

    @Test
    void shouldPostTheContractBodyAfterTheLatency() throws Exception
    {
        final FrbTriggerRequest request = FrbTriggerRequest.of(PULSE, 77, "frb/sim-run_1").withDmError(0.5)
            .withFreqIds(3, 700);
        final long sent = System.nanoTime();
        final HttpResponse<String> response = new FrbTrigger(HttpClient.newHttpClient())
            .post(node.url(), request, Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
        assertEquals(202, response.statusCode());
        assertEquals(77, new ObjectMapper().readTree(response.body()).get("event_id").asLong());

        final TriggerNode.Received post = node.next(1);
        assertTrue(post.nanos() - sent >= TimeUnit.MILLISECONDS.toNanos(300), "posted before the latency passed");
        assertEquals("POST", post.method());
        assertEquals("/baseband", post.path());
        assertEquals("application/json", post.contentType());
        final JsonNode body = new ObjectMapper().readTree(post.body());
        assertEquals(77, body.get("event_id").asLong());
        assertEquals(123_456_789, body.get("start_fpga").asLong());
        assertEquals(390 * 2560, body.get("duration_nano").asLong());
        assertEquals(512.25, body.get("dm").asDouble());
        assertEquals(0.5, body.get("dm_error").asDouble());
        assertEquals("frb/sim-run_1", body.get("file_path").asText());
        assertEquals(400.0, body.get("ref_freq_mhz").asDouble());
        assertEquals("[3,700]", body.get("freq_ids").toString());
        assertEquals("test", body.get("source").asText());
        assertFalse(body.has("start_unix_seconds"), "a simulator trigger gives start_fpga instead");
    }

    @Test
    void shouldLeaveOutFreqIdsToAskForEveryFrequency()
    {
        assertFalse(FrbTriggerRequest.of(PULSE, 1, "x").toJson().has("freq_ids"));
    }

    @Test
    void shouldRejectPathsAndSourcesTheContractRejects()
    {
        for (final String path : new String[] {"/abs", "../up", "a/../b", "..", "sp ace", "semi;colon", ""})
        {
            assertThrows(IllegalArgumentException.class, () -> FrbTriggerRequest.of(PULSE, 1, path), path);
        }
        assertThrows(IllegalArgumentException.class, () -> FrbTriggerRequest.of(PULSE, 1, "ok").withSource("cosmic"));
        assertEquals("a..b/c", FrbTriggerRequest.of(PULSE, 1, "a..b/c").filePath(), "'..' only as a path element");
    }

    @Test
    void shouldAskForAWindowHoldingThePulseAtEveryFrequency()
    {
        final FrbTriggerRequest request = FrbTriggerRequest.of(PULSE, 5, "w");
        final long period = PULSE.samplePeriodNs();
        for (int freqId = 0; freqId < 1024; freqId++)
        {
            final double mhz = 800.0 - 0.390625 * freqId;
            // the node's plan, from the contract: delay in double, rounded once to integer nanoseconds
            final double d = 1 / (mhz * mhz * 1e-6) - 1 / (request.refFreqMhz() * request.refFreqMhz() * 1e-6);
            final long tau = Math.round(FrbPulse.K_DM * 1e6 * request.dm() * d);
            final long startNs = request.startFpga() * period + tau;
            final long startFpga = Math.floorDiv(startNs, period);
            final long endFpga = -Math.floorDiv(-(startNs + request.durationNano()), period);
            final long pulseStart = PULSE.startSeq(mhz);
            assertTrue(pulseStart >= startFpga && pulseStart + PULSE.widthSamples() <= endFpga,
                "freq_id " + freqId + ": pulse [" + pulseStart + ", +" + PULSE.widthSamples() + ") outside [" +
                startFpga + ", " + endFpga + ")");
        }
    }
}
