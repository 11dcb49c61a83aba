package org.kotekanj.pipelines;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receive ports belong to one receiver: a second instance must not silently take the first one's traffic, and a
 * config that would make two receivers share a port, or bind an address that is not one, fails {@code check}.
 */
class ReceivePortsTest
{
    @TempDir
    Path dir;

    /** Everything the command printed (check reports on stdout, run on stderr). */
    private String err;

    private int run(final String... args)
    {
        final CommandRun run = CommandRun.of(args);
        err = run.out() + run.err();
        return run.exitCode();
    }

    private Path config(final String receivers) throws IOException
    {
        final Path file = dir.resolve("node.yaml");
        Files.writeString(file, """
            profile: chime
            slot: 1
            link: 0
            crate_parity: 0
            samples_per_frame: 64
            frames:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 4 * 64 * 2048
            sink:
              kotekan_stage: FrameSink
              in_buf: frames
            """ + receivers);
        return file;
    }

    @Test
    void shouldExitThreeWithOneSentenceWhenAReceivePortIsTaken() throws IOException
    {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = taken.getLocalPort();
            final Path config = config("""
                recv:
                  kotekan_stage: FengineReceiver
                  out_buf: frames
                  bind_address: 127.0.0.1
                  ports: [%d]
                """.formatted(port));
            assertEquals(3, run("run", config.toString(), "--no-rest", "--counters-dir", dir.toString()), err);
            final String failure = err.lines().filter(l -> l.contains("in use")).findFirst().orElse("");
            assertTrue(failure.contains("port " + port), err);
            assertFalse(err.contains("Exception"), "no Java class names: " + err);
        }
    }

    @Test
    void shouldRejectTwoReceiversOnOnePortAndAPortListedTwice() throws IOException
    {
        final Path config = config("""
            recv_a:
              kotekan_stage: FengineReceiver
              out_buf: frames
              streams_owned: [0, 1]
              ports: [15000, 15001]
            recv_b:
              kotekan_stage: FengineReceiver
              out_buf: frames
              streams_owned: [2, 3]
              bind_address: 127.0.0.1
              ports: [15001, 15002, 15002]
            """);
        assertEquals(1, run("check", config.toString()), err);
        assertTrue(err.contains("port 15001") && err.contains("/recv_a"), err);
        assertTrue(err.contains("port 15002 is listed twice"), err);
    }

    @Test
    void shouldRejectABindAddressThatIsNotAnIpv4Address() throws IOException
    {
        final Path config = config("""
            recv:
              kotekan_stage: FengineReceiver
              out_buf: frames
              bind_address: 10.0.0.300
              ports: [15000]
            """);
        assertEquals(1, run("check", config.toString()), err);
        assertTrue(err.contains("bind_address"), err);
    }
}
