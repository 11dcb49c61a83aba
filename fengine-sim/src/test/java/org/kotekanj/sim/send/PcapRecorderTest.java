package org.kotekanj.sim.send;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.pcap.PcapReader;
import org.kotekanj.sim.SimConfigs;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.packets.GroundTruthOracle;
import org.kotekanj.sim.packets.SentDatagram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapRecorderTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordEveryDatagramToItsLinksPortInTimeOrder() throws Exception
    {
        final Path pcap = dir.resolve("sim.pcap");
        final Path truth = dir.resolve("truth.jsonl");
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage("""
            profile: single-board
            links: [0, 1, 2]
            destinations: 127.0.0.1:20000-20002
            count: 500
            start_seq: 3
            max_start_skew_packets: 4
            pcap: %s
            ground_truth: %s
            impairments:
              burst_loss: {rate: 0.01, max_packets: 5}
              reorder: {rate: 0.02, window: 3}
              unknown_stream: {rate: 0.01}
              error_flags: {rate: 0.01, flags: 0x10000000}
              reset: {rate: 0.002}
              seq_jump: {rate: 0.005}
            """.formatted(pcap, truth), errors));
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));

        final SimulatorRun run = SimulatorRun.open(config, true);
        try
        {
            while (!run.isFinished())
            {
                run.doWork();
            }
        }
        finally
        {
            run.close();
        }

        final List<List<SentDatagram>> recorded = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long lastTimestamp = 0;
        final int datagram = config.geometry().datagramBytes();
        try (PcapReader reader = PcapReader.open(pcap))
        {
            while (reader.next())
            {
                final int stream = reader.destinationPort() - 20000;
                assertEquals(40000 + stream, reader.sourcePort());
                assertTrue(reader.timestampNanos() >= lastTimestamp, "time order");
                lastTimestamp = reader.timestampNanos();
                final long offset = reader.payloadOffset();
                recorded.get(stream).add(new SentDatagram(stream,
                    PacketHeaderDescriptor.streamId(reader.segment(), offset),
                    PacketHeaderDescriptor.seq(reader.segment(), offset), reader.payloadLength(),
                    PacketHeaderDescriptor.flagWord(reader.segment(), offset, datagram)));
            }
        }
        for (int s = 0; s < 3; s++)
        {
            assertEquals(GroundTruthOracle.expected(config.table(), config.settings(), 500, s,
                run.groundTruth().events()), recorded.get(s), "link " + s);
        }
        assertEquals((3 + 2L * 499 + 4) * 2560, lastTimestamp, 8L * 2560, "timestamps are seq x sample period");
        final List<String> lines = Files.readAllLines(truth);
        assertTrue(lines.getFirst().contains("\"destination\":\"127.0.0.1:20002\""), lines.getFirst());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("{\"event\":\"end\"")).count());
    }

    @Test
    void shouldWriteTheSameFileForTheSameConfig() throws Exception
    {
        final byte[] first = Files.readAllBytes(record("a.pcap"));
        final byte[] second = Files.readAllBytes(record("b.pcap"));

        assertArrayEquals(first, second);
        assertFalse(first.length == 0);
    }

    private Path record(final String name) throws Exception
    {
        final Path pcap = dir.resolve(name);
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage(
            "count: 50\npcap: " + pcap + "\nimpairments: {loss: {rate: 0.1}}\n", errors));
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        try (SimulatorRun run = SimulatorRun.open(config, false))
        {
            while (!run.isFinished())
            {
                run.doWork();
            }
        }
        return pcap;
    }
}
