package org.kotekanj.sim.packets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroundTruthTest
{
    private static final StreamTable NODE = StreamTable.chimeNode(PacketGeometry.chime(), 3, 1, 0);

    @TempDir
    Path dir;

    @Test
    void shouldWriteAStartLineEveryEventAndTheTotalsOfEachStreamAsJsonLines() throws Exception
    {
        final Path file = dir.resolve("truth.jsonl");
        final GeneratorSettings settings = PacketGeneratorTest.everything(3);
        final List<List<SentDatagram>> sent;
        final List<GroundTruthEvent> events;
        try (GroundTruth truth = GroundTruth.toFile(file, true))
        {
            final PacketGenerator generator = new PacketGenerator(NODE, new TplusESignal(), settings, 2000, truth);
            generator.logStart(Map.of("signal", "tpluse"), List.of(Map.of("destination", "127.0.0.1:10000")));
            sent = PacketGeneratorTest.drain(generator);
            generator.finish();
            events = truth.events();
        }

        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            lines.add(json.readTree(line));
        }
        final JsonNode start = lines.getFirst();
        assertEquals("start", start.get("event").asText());
        assertEquals(4886, start.get("datagram_bytes").asInt());
        assertEquals(12345, start.get("start_seq").asLong());
        assertEquals("tpluse", start.get("signal").asText());
        assertEquals("127.0.0.1:10000", start.get("streams").get(0).get("destination").asText());
        assertEquals(settings.firstSteps()[2], start.get("streams").get(2).get("first_step").asLong());
        assertEquals(0.01, start.get("impairments").get("loss").get("rate").asDouble());

        final List<JsonNode> eventLines = lines.subList(1, lines.size() - 4);
        assertEquals(events.size(), eventLines.size());
        for (int i = 0; i < events.size(); i++)
        {
            final GroundTruthEvent expected = events.get(i);
            final JsonNode line = eventLines.get(i);
            assertEquals(expected.type().jsonName(), line.get("event").asText());
            assertEquals(StreamId.format(expected.streamId()), line.get("stream").asText());
            assertEquals(expected.step(), line.get("step").asLong());
            assertEquals(expected.seq(), line.get("seq").asLong());
            if (expected.type().valueKey() != null)
            {
                assertEquals(expected.value(), line.get(expected.type().valueKey()).asLong(), line.toString());
            }
        }

        for (int s = 0; s < 4; s++)
        {
            final JsonNode end = lines.get(lines.size() - 4 + s);
            final int stream = s;
            assertEquals("end", end.get("event").asText());
            assertEquals(sent.get(s).size(), end.get("datagrams").asLong());
            for (final EventType type : EventType.values())
            {
                assertEquals(events.stream().filter(e -> e.streamIndex() == stream && e.type() == type).count(),
                    end.get(type.jsonName()).asLong(), type.jsonName());
            }
            assertTrue(end.get("steps").asLong() > 0);
        }
    }
}
