package org.kotekanj.sim.trigger;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.sim.SimConfigs;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.signal.FrbPulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code frb_trigger:} block as the simulator reads it, with every other simulator key. */
class FrbTriggerConfigTest
{
    private static final String SIM = """
        profile: single-board
        links: [0]
        count: 400
        pcap: out.pcap
        """;
    private static final String FRB = "signal: {type: frb, base: {type: const}, t0_seq: 600, dm: 12.5, " +
        "width_samples: 16}\n";

    @Test
    void shouldBuildTheRequestOfTheSignalsPulseWithTheBlocksKeys()
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage(SIM + FRB + """
            frb_trigger:
              url: http://localhost:12048
              latency_s: 2.5
              event_id: 9007199254740993
              file_path: runs/a
              dm_error: 0.5
              source: rfi
              freq_ids: [3, 4]
            """, errors));

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        final FrbTriggerConfig trigger = config.frbTrigger();
        assertEquals(URI.create("http://localhost:12048"), trigger.url());
        assertEquals(Duration.ofMillis(2500), trigger.latency());
        final FrbPulse pulse = new FrbPulse(600, 12.5, 16, 3, 400.0, FrbPulse.K_DM, 2560);
        assertEquals(FrbTriggerRequest.of(pulse, 9007199254740993L, "runs/a").withDmError(0.5).withSource("rfi")
            .withFreqIds(3, 4).toJson(), trigger.request().toJson());
        assertEquals(600, trigger.t0Seq());
    }

    @Test
    void shouldDefaultEverythingButTheUrlAndEventId()
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage(SIM + FRB +
            "frb_trigger: {url: 'http://127.0.0.1:1', event_id: 1}\n", errors));

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        final FrbTriggerRequest request = config.frbTrigger().request();
        assertEquals(Duration.ofSeconds(1), config.frbTrigger().latency());
        assertEquals("sim", request.filePath());
        assertEquals(0.0, request.dmError());
        assertEquals("test", request.source());
        assertNull(request.freqIds());
    }

    @Test
    void shouldNotTriggerWithoutABlock()
    {
        final ConfigErrors errors = new ConfigErrors();
        assertNull(SimulatorConfig.read(SimConfigs.stage(SIM + FRB, errors)).frbTrigger());
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
    }

    @Test
    void shouldReportATriggerWithoutAnFrbSignalAtTheBlock()
    {
        final ConfigError error = onlyError(SIM + """
            signal: {type: walsh}
            frb_trigger: {url: 'http://127.0.0.1:1', event_id: 1}
            """);

        assertEquals("/frb_trigger", error.path());
        assertEquals(6, error.line());
        assertTrue(error.message().contains("needs signal: {type: frb"), error.toString());
    }

    @Test
    void shouldReportARemoteUrlAtItsKeyUnlessRemoteIsAllowed()
    {
        final String yaml = SIM + FRB + """
            frb_trigger:
              url: http://10.0.0.7:12048
              event_id: 1
            """;
        final ConfigError error = onlyError(yaml);

        assertEquals("/frb_trigger/url", error.path());
        assertEquals(7, error.line());
        assertTrue(error.message().contains("not on a loopback address"), error.toString());
        final ConfigErrors errors = new ConfigErrors();
        SimulatorConfig.read(SimConfigs.stage(yaml + "allow_remote: true\n", errors));
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
    }

    @Test
    void shouldReportAMissingEventIdAtTheBlock()
    {
        final ConfigError error = onlyError(SIM + FRB + """
            frb_trigger:
              url: http://[::1]:12048
            """);

        assertEquals("/frb_trigger", error.path());
        assertEquals(6, error.line());
        assertTrue(error.message().contains("missing 'event_id'"), error.toString());
    }

    @Test
    void shouldReportEveryBadValueAtItsKey()
    {
        assertError("url: https://127.0.0.1:1", "/frb_trigger/url", "is not http://HOST:PORT");
        assertError("url: 'http://127.0.0.1:1/?x=1'", "/frb_trigger/url", "is not http://HOST:PORT");
        assertError("latency_s: -1", "/frb_trigger/latency_s", "non-negative number of seconds");
        assertError("event_id: -5", "/frb_trigger/event_id", "must be 0..2^63-1");
        assertError("file_path: ../up", "/frb_trigger/file_path", "without '..'");
        assertError("dm_error: -0.1", "/frb_trigger/dm_error", "non-negative");
        assertError("source: cosmic", "/frb_trigger/source", "must be one of");
        assertError("freq_ids: [3, -1]", "/frb_trigger/freq_ids", "must not be negative");
        assertEquals("/frb_trigger", onlyError(SIM + FRB + "frb_trigger: true\n").path());
    }

    @Test
    void shouldReportARunThatEndsBeforeTheBurst()
    {
        final ConfigError error = onlyError(SIM.replace("count: 400", "count: 300") + FRB +
            "frb_trigger: {url: 'http://127.0.0.1:1', event_id: 1}\n");

        assertEquals("/frb_trigger", error.path());
        assertTrue(error.message().contains("t0_seq 600 is never sent: the run ends before seq 600"),
            error.toString());
    }

    private static void assertError(final String line, final String path, final String message)
    {
        final String key = line.substring(0, line.indexOf(':'));
        final String yaml = SIM + FRB + "frb_trigger:\n  url: 'http://127.0.0.1:1'\n  event_id: 1\n" +
            "  " + line + "\n";
        final ConfigError error = onlyError(key.equals("url") || key.equals("event_id") ?
            yaml.replaceFirst("\n  " + key + ": [^\n]*", "") : yaml);
        assertEquals(path, error.path(), error.toString());
        assertTrue(error.message().contains(message), error.toString());
    }

    private static ConfigError onlyError(final String yaml)
    {
        final ConfigErrors errors = new ConfigErrors();
        SimulatorConfig.read(SimConfigs.stage(yaml, errors));
        assertEquals(1, errors.size(), yaml + "\n" + SimConfigs.describe(errors));
        return errors.list().getFirst();
    }
}
