package org.kotekanj.stages.placement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.log.Log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveEventsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepDistinctEventsInAFileAnotherProcessCanRead()
    {
        final Path file = dir.resolve("node.recv.errors");
        try (ReceiveEvents events = new ReceiveEvents(file, new Log("/recv", Log.Level.OFF), 1_000_000_000L))
        {
            for (int i = 0; i < 1000; i++)
            {
                events.record(ReceiveEvents.RESET, StreamId.of(1, 2, i % 2), 100_000 + i, 2000);
            }
            events.record(ReceiveEvents.JUMP, StreamId.of(1, 2, 0), 5, 1L << 40);
            assertEquals(1001, events.drain());
            final List<String> seen = new ArrayList<>();
            final List<Integer> counts = new ArrayList<>();
            // Read through the file, as kotekan-j stat or an operator's tool would, while the log is still open.
            ReceiveEvents.read(file, (count, first, last, encoded) ->
            {
                seen.add(encoded);
                counts.add(count);
            });
            assertEquals(3, seen.size(), "one entry per kind and stream: " + seen);
            assertEquals(List.of(500, 500, 1), counts);
            assertTrue(seen.get(0).contains("F-engine reset on stream " + StreamId.format(StreamId.of(1, 2, 0))));
            assertTrue(seen.get(2).contains("jumped"));
        }
        assertTrue(!java.nio.file.Files.exists(file), "removed when closed, like the counters file");
    }

    @Test
    void shouldDropEventsRatherThanWaitWhenNobodyDrains()
    {
        try (ReceiveEvents events = new ReceiveEvents(null, new Log("/recv", Log.Level.OFF), 0))
        {
            for (int i = 0; i < 100_000; i++)
            {
                events.record(ReceiveEvents.RESET, 1, i, 0);
            }
            assertTrue(events.dropped() > 0, "a full ring drops");
            assertEquals(100_000, events.dropped() + events.drain());
        }
    }
}
