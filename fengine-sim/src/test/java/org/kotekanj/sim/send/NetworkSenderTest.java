package org.kotekanj.sim.send;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.UdpSocket;
import org.kotekanj.sim.SimConfigs;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.packets.GroundTruthOracle;
import org.kotekanj.sim.packets.SentDatagram;
import org.kotekanj.sim.signal.TplusESignal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkSenderTest
{
    private static final long DEADLINE_NANOS = 5_000_000_000L;

    private final List<UdpSocket> receivers = new ArrayList<>();
    private String ports;

    @BeforeEach
    void bindFourLoopbackReceivers()
    {
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final UdpSocket socket = UdpSocket.open();
            socket.setReceiveBufferSize(8 << 20);
            socket.bind(UdpSocket.ipv4("127.0.0.1", 0));
            receivers.add(socket);
            list.add("127.0.0.1:" + socket.localAddress().getPort());
        }
        ports = String.join(", ", list);
    }

    @AfterEach
    void close()
    {
        receivers.forEach(UdpSocket::close);
    }

    @Test
    void shouldDeliverEveryImpairedDatagramOfEveryLinkWithSegmentedSendmmsg() throws Exception
    {
        assertTrue(shouldDeliverEveryImpairedDatagramOfEveryLink("sendmmsg", true).mode().contains("sendmmsg+gso"));
    }

    @Test
    void shouldDeliverEveryImpairedDatagramOfEveryLinkWithPlainSendmmsg() throws Exception
    {
        final SendReport report = shouldDeliverEveryImpairedDatagramOfEveryLink("sendmmsg", false);
        assertTrue(report.mode().startsWith("sent sendmmsg at max"), report.mode());
    }

    @Test
    void shouldDeliverEveryImpairedDatagramOfEveryLinkWithTheNioFallback() throws Exception
    {
        assertTrue(shouldDeliverEveryImpairedDatagramOfEveryLink("nio", true).mode().startsWith("sent nio"));
    }

    private SendReport shouldDeliverEveryImpairedDatagramOfEveryLink(final String transport, final boolean gso)
        throws Exception
    {
        final SimulatorConfig config = config("""
            transport: %s
            gso: %s
            rate: max
            count: 300
            slot: 2
            start_seq: 777
            impairments:
              loss: {rate: 0.02}
              reorder: {rate: 0.02, window: 4}
              duplicate: {rate: 0.02}
              truncated: {rate: 0.01, length: 16}
              oversized: {rate: 0.01, extra_bytes: 8}
              seq_back: {rate: 0.01, samples: 4}
            """.formatted(transport, gso));

        final SendReport report;
        final SimulatorRun run = SimulatorRun.open(config, true);
        try
        {
            runToTheEnd(run);
            report = run.report();
        }
        finally
        {
            run.close();
        }

        long total = 0;
        for (int s = 0; s < 4; s++)
        {
            final List<SentDatagram> expected = GroundTruthOracle.expected(config.table(), config.settings(), 300, s,
                run.groundTruth().events());
            assertEquals(expected, receive(s, expected.size(), config), "link " + s);
            total += expected.size();
        }
        assertEquals(total, report.datagrams());
        assertTrue(report.datagramsPerSecond() > 0 && report.gigabitsPerSecond() > 0, report.toString());
        return report;
    }

    @Test
    void shouldPaceARunToItsRate() throws Exception
    {
        final SimulatorConfig config = config("rate: x0.01\ncount: 40\nbatch_delay_us: 0\n");
        final long start = System.nanoTime();
        final SendReport report;
        try (SimulatorRun run = SimulatorRun.open(config, false))
        {
            runToTheEnd(run);
            report = run.report();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;

        final double expected = 39 * 512e-6;
        assertTrue(seconds >= expected && report.seconds() >= expected * 0.99, seconds + " s: " + report);
        assertEquals(4 * 1e9 / 512e3, report.requestedPerSecond(), 1e-6);
        assertTrue(report.maxLatenessNanos() > 0 && report.meanLatenessNanos() <= report.maxLatenessNanos(),
            report.toString());
        for (int s = 0; s < 4; s++)
        {
            assertEquals(40, receive(s, 40, config).size());
        }
    }

    @Test
    void shouldSendADurationsWorthOfStepsWhenPaced() throws Exception
    {
        final SimulatorConfig config = config("rate: x0.01\nduration_s: 0.05\n");
        final long start = System.nanoTime();
        try (SimulatorRun run = SimulatorRun.open(config, false))
        {
            runToTheEnd(run);
            final double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 97 * 512e-6 && seconds < 2, seconds + " s");
            assertEquals(4 * 98, run.datagrams(), "ceil(0.05 s / 512 us) steps per link: " + run.report());
        }
    }

    @Test
    void shouldSendForTheDurationAtMaxRate() throws Exception
    {
        final SimulatorConfig config = config("rate: max\nduration_s: 0.05\n");
        final long start = System.nanoTime();
        try (SimulatorRun run = SimulatorRun.open(config, false))
        {
            runToTheEnd(run);
            final double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.05 && seconds < 2, seconds + " s");
            assertTrue(run.datagrams() > 0, run.report().toString());
        }
    }

    private SimulatorConfig config(final String yaml)
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatorConfig config = SimulatorConfig.read(SimConfigs.stage(yaml + "destinations: [" + ports + "]\n",
            errors));
        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        return config;
    }

    private static void runToTheEnd(final SimulatorRun run) throws Exception
    {
        final long start = System.nanoTime();
        while (!run.isFinished())
        {
            run.doWork();
            assertTrue(System.nanoTime() - start < DEADLINE_NANOS, "the run did not end");
        }
    }

    private List<SentDatagram> receive(final int stream, final int expected, final SimulatorConfig config)
    {
        final List<SentDatagram> received = new ArrayList<>();
        final TplusESignal signal = new TplusESignal();
        final int datagram = config.geometry().datagramBytes();
        try (MmsgBatch batch = new MmsgBatch(MmsgBatch.MAX_MESSAGES, datagram + 64, 0))
        {
            final long start = System.nanoTime();
            while (received.size() < expected && System.nanoTime() - start < DEADLINE_NANOS)
            {
                final int n = receivers.get(stream).receive(batch, batch.capacity());
                for (int i = 0; i < n; i++)
                {
                    final long offset = batch.slotOffset(i);
                    final int length = batch.receivedLength(i);
                    final long seq = PacketHeaderDescriptor.seq(batch.buffer(), offset);
                    if (length >= PacketHeaderDescriptor.HEADER_LENGTH + 1)
                    {
                        final int firstInput = config.table().streams().get(stream).inputBlock() * 512;
                        assertEquals(signal.sample(seq, config.table().streams().get(stream).freqIds()[0],
                            firstInput), batch.buffer().get(JAVA_BYTE, offset + 16), "first sample");
                    }
                    received.add(new SentDatagram(stream, PacketHeaderDescriptor.streamId(batch.buffer(), offset),
                        seq, length, length >= datagram ?
                            PacketHeaderDescriptor.flagWord(batch.buffer(), offset, datagram) : 0));
                }
            }
        }
        return received;
    }
}
