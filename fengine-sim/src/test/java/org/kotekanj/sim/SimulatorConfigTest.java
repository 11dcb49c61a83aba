package org.kotekanj.sim;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorConfigTest
{
    @Test
    void shouldReadAChimeNodeSentToFourLoopbackPorts()
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage("""
            profile: chime
            slot: 3
            destinations: 127.0.0.1:10000-10003
            rate: x2
            count: 10
            """, errors));

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        assertEquals(4, config.destinations().size());
        assertEquals(10003, config.destinations().get(3).getPort());
        assertEquals(2560.0, config.stepPeriodNanos());
        assertEquals(10, config.steps());
    }

    @Test
    void shouldGiveOneDestinationToEveryStream()
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage(
            "destinations: localhost:9000\nrate: max\n", errors));

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        assertEquals(4, config.destinations().size());
        assertEquals(9000, config.destinations().get(2).getPort());
    }

    @Test
    void shouldNameEveryBadValueSoNothingIsSent()
    {
        assertError("profile: lofar\ndestinations: 127.0.0.1:1\n", "unknown profile 'lofar'");
        assertError("destinations: 10.0.0.1:10000\n", "'10.0.0.1:10000' is not a loopback address");
        assertError("destinations: 127.0.0.1:10000-10002\n", "3 destinations (127.0.0.1:10000-10002) for 4 streams");
        assertError("destinations: 127.0.0.1:70000\n", "port '70000' is not 1..65535");
        assertError("destinations: 127.0.0.1:10000\nrate: fast\n", "rate 'fast' is not one of realtime, xK");
        assertError("destinations: 127.0.0.1:10000\nrate: x1000\n", "rate x1000 needs 781250000 packets/s");
        assertError("destinations: 127.0.0.1:10000\ninputs_per_packet: 20000\n", "more than a UDP datagram can carry");
        assertError("destinations: 127.0.0.1:10000\ncount: 5\nduration_s: 1\n", "set count or duration_s, not both");
        assertError("pcap: out.pcap\n", "needs an end: set count or duration_s");
        assertError("destinations: 127.0.0.1:10000\nbatch: 65\n", "must be 1..64 datagrams per call, found 65");
        assertError("destinations: 127.0.0.1:10000\ntransport: dpdk\n", "expected one of sendmmsg, nio");
        assertError("rate: max\n", "no destination");
    }

    @Test
    void shouldAllowARemoteHostOnlyWhenAskedTo()
    {
        final ConfigErrors errors = new ConfigErrors();
        SimulatorConfig.read(SimConfigs.stage("destinations: 10.0.0.1:10000\nallow_remote: true\n", errors));

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
    }

    private static void assertError(final String yaml, final String expected)
    {
        final ConfigErrors errors = new ConfigErrors();
        SimulatorConfig.read(SimConfigs.stage(yaml, errors));
        final String all = SimConfigs.describe(errors);
        assertTrue(all.contains(expected), "for\n" + yaml + "expected '" + expected + "' in\n" + all);
    }
}
