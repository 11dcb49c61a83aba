package org.kotekanj.sim;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.cli.Main;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.UdpSocket;
import org.kotekanj.sim.trigger.TriggerNode;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldBeASubcommandOfKotekanJ()
    {
        assertTrue(Main.commandLine().getSubcommands().containsKey("sim"));
    }

    @Test
    void shouldWriteAPcapAndGroundTruthFromFlags() throws Exception
    {
        final Path pcap = dir.resolve("cli.pcap");
        final Path truth = dir.resolve("truth.jsonl");

        final int exit = execute("--profile", "chime", "--signal", "tpluse", "--count", "20", "--pcap",
            pcap.toString(), "--ground-truth", truth.toString(), "--impair", "loss.rate=0.1", "--seed", "9",
            "--set", "slot=5");

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("wrote " + pcap), out.toString());
        assertTrue(Files.size(pcap) > 20 * 4886, "about 80 datagrams less losses");
        final String start = Files.readAllLines(truth).getFirst();
        assertTrue(start.contains("\"seed\":9") && start.contains("\"loss\":{\"rate\":0.1}"), start);
        assertTrue(start.contains("\"stream\":\"0.5.0\""), start);
    }

    @Test
    void shouldSendToLoopbackAndPrintRates()
    {
        try (UdpSocket receiver = UdpSocket.open(); MmsgBatch batch = new MmsgBatch(64, 5000, 0))
        {
            receiver.setReceiveBufferSize(4 << 20);
            receiver.bind(UdpSocket.ipv4("127.0.0.1", 0));

            final int exit = execute("--dest", "127.0.0.1:" + receiver.localAddress().getPort(), "--count", "10",
                "--rate", "max", "--signal", "const");

            assertEquals(0, exit, err.toString());
            assertTrue(out.toString().contains("40 datagrams (195440 bytes) on 4 links"), out.toString());
            assertTrue(out.toString().contains("Gb/s"), out.toString());
            int received = 0;
            for (int n = receiver.receive(batch, 64); n > 0; n = receiver.receive(batch, 64))
            {
                received += n;
            }
            assertEquals(40, received);
        }
    }

    @Test
    void shouldListEveryBadFlagAndSendNothing()
    {
        final Path pcap = dir.resolve("never.pcap");

        final int exit = execute("--profile", "meerkat", "--dest", "8.8.8.8:53", "--rate", "x-1", "--count", "5",
            "--impair", "loss.rate=2", "--set", "typo_key=1");

        assertEquals(1, exit);
        final String text = err.toString();
        assertTrue(text.contains("unknown profile 'meerkat'"), text);
        assertTrue(text.contains("'8.8.8.8:53' is not a loopback address"), text);
        assertTrue(text.contains("rate 'x-1' is not one of"), text);
        assertTrue(text.contains("0..1, found 2"), text);
        assertTrue(text.contains("unknown key 'typo_key'"), text);
        assertTrue(text.contains("nothing sent"), text);
        assertFalse(Files.exists(pcap));
        assertEquals("", out.toString());
    }

    @Test
    void shouldReadAYamlFileThatFlagsOverride() throws Exception
    {
        final Path yaml = dir.resolve("sim.yaml");
        final Path pcap = dir.resolve("yaml.pcap");
        Files.writeString(yaml, """
            profile: single-board
            links: [0, 1]
            count: 1000
            pcap: %s
            impairments:
              duplicate: {rate: 1}
            """.formatted(pcap));

        final int exit = execute("--config", yaml.toString(), "--count", "3");

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains(": 12 datagrams"), out.toString());
    }

    @Test
    void shouldPostTheTriggerFromFlagsAndPrintTheReply() throws Exception
    {
        final Path yaml = dir.resolve("frb.yaml");
        Files.writeString(yaml, """
            profile: single-board
            links: [0]
            count: 100
            pcap: %s
            signal: {type: frb, base: {type: const}, t0_seq: 50}
            """.formatted(dir.resolve("frb.pcap")));
        try (TriggerNode node = TriggerNode.answering(202, "{\"event_id\": 8, \"freqs\": {}}"))
        {
            final int exit = execute("--config", yaml.toString(), "--trigger-url", node.url().toString(),
                "--trigger-latency", "0.05", "--trigger-event-id", "8", "--trigger-file-path", "cli/run");

            assertEquals(0, exit, err.toString());
            assertTrue(out.toString().contains("frb trigger event 8 to " + node.url() + "/baseband: 202 {\"event_id\""),
                out.toString());
            assertEquals(1, node.received().size());
            assertEquals("cli/run", new ObjectMapper().readTree(node.received().getFirst().body()).get("file_path")
                .asText());
        }
    }

    @Test
    void shouldListBadTriggerFlagsAndSendNothing()
    {
        final Path pcap = dir.resolve("never.pcap");

        final int exit = execute("--signal", "tpluse", "--count", "5", "--pcap", pcap.toString(), "--trigger-url",
            "http://192.168.1.9:12048", "--trigger-latency", "-1");

        assertEquals(1, exit);
        final String text = err.toString();
        assertTrue(text.contains("frb_trigger needs signal: {type: frb"), text);
        assertTrue(text.contains("is not on a loopback address"), text);
        assertTrue(text.contains("missing 'event_id'"), text);
        assertTrue(text.contains("latency_s: must be a non-negative number of seconds"), text);
        assertFalse(Files.exists(pcap));
    }

    private int execute(final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "sim";
        System.arraycopy(args, 0, all, 1, args.length);
        final CommandLine commandLine = Main.commandLine();
        final PrintStream originalOut = System.out;
        final PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            return commandLine.execute(all);
        }
        finally
        {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
