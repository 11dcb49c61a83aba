package org.kotekanj.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLetAnotherMappingReadTheCountersAsTheyChange()
    {
        final long before = System.currentTimeMillis();
        try (MetricsRegistry metrics = MetricsRegistry.mapped(CountersFile.create(dir, "site-a", 64 * 128)))
        {
            final AtomicCounter packets = metrics.counter(MetricNames.RX_PACKETS, "/recv", "port", "10001");
            metrics.gaugeNanos(MetricNames.STAGE_MAX_CYCLE, "/recv").set(2_000);
            final Path file = dir.resolve("site-a.counters");
            assertEquals(file, metrics.file().path());
            try (CountersFile reader = CountersFile.open(file))
            {
                assertEquals("site-a", reader.instance());
                assertEquals(ProcessHandle.current().pid(), reader.pid());
                assertTrue(reader.startMs() >= before);
                assertTrue(reader.isAlive());
                packets.getAndAdd(5);
                final StringBuilder out = new StringBuilder();
                PrometheusWriter.write(reader.reader(), out);
                assertEquals(5.0, PrometheusFormat.validate(out.toString())
                    .get("kotekan_rx_packets_total{stage_name=\"/recv\",port=\"10001\"}"));
                packets.increment();
                assertEquals(6.0, PrometheusFormat.validate(render(reader))
                    .get("kotekan_rx_packets_total{stage_name=\"/recv\",port=\"10001\"}"));
                assertEquals(2.0e-6, PrometheusFormat.validate(render(reader))
                    .get("kotekan_stage_max_cycle_seconds{stage_name=\"/recv\"}"));
                final long heartbeat = reader.heartbeatMs();
                metrics.sample();
                assertTrue(reader.heartbeatMs() >= heartbeat);
            }
            assertEquals(List.of(file), CountersFile.findLive(dir));
        }
        assertFalse(Files.exists(dir.resolve("site-a.counters")), "the owner removes its file when it closes");
    }

    private static String render(final CountersFile file)
    {
        final StringBuilder out = new StringBuilder();
        PrometheusWriter.write(file.reader(), out);
        return out.toString();
    }

    @Test
    void shouldRefuseAFileThatIsNotACountersFile() throws Exception
    {
        final Path other = dir.resolve("other.counters");
        Files.write(other, new byte[256]);
        assertEquals(other + " is not a kotekan-j counters file",
            assertThrows(IllegalStateException.class, () -> CountersFile.open(other)).getMessage());
        assertEquals(List.of(), CountersFile.findLive(dir), "a foreign file is not a live instance");
        assertEquals(List.of(), CountersFile.findLive(dir.resolve("absent")));
    }
}
