package org.kotekanj.baseband;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ReadoutTest
{
    @TempDir
    Path archive;

    @Test
    void shouldWarmTheTriggerPathAtStartWithoutATrace() throws Exception
    {
        final AtomicLong freeSpaceCalls = new AtomicLong();
        try (ReadoutHarness h = new ReadoutHarness(archive, 16, dir ->
        {
            freeSpaceCalls.incrementAndGet();
            return 1L << 40;
        }, s -> s))
        {
            // Started (and warmed) by the harness: no event, no file, no request counted, no call to the injected
            // free-space provider (tests count those to fill the disk at a given chunk).
            assertEquals(Readout.WARM_TRIGGERS, h.readout.warmedTriggers);
            assertEquals(0, freeSpaceCalls.get());
            try (Stream<Path> files = Files.list(archive))
            {
                assertEquals(0, files.count());
            }
            final String list = new String(h.readout.list(new RestRequest("GET", "/baseband", Map.of(), Map.of(),
                new byte[0])).body(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, Json.parse(list).size());
            assertFalse(h.metrics.prometheus().contains("kotekan_baseband_requests_total{stage_name=\"/baseband\"} 1"));
        }
    }
}
