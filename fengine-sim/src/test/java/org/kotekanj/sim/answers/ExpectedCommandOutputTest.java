package org.kotekanj.sim.answers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command that writes HDF5, in its own JVM as the launcher starts it: it prints its one result line and nothing
 * from SLF4J or jHDF (no "no providers" warning, no jHDF INFO lines on stdout, no "writing files is in alpha").
 */
class ExpectedCommandOutputTest
{
    @TempDir
    Path directory;

    @Test
    void shouldPrintOnlyItsResultWhenWritingHdf5() throws Exception
    {
        final Path config = directory.resolve("walsh.yaml");
        Files.writeString(config, """
            sim:
              profile: single-board
              links: [1]
              samples_per_frame: 256
              signal: {type: walsh, seed: 3}
            """);
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "expected", "vis", config.toString(), "--start", "1024", "--integrations", "1", "--freq-id", "1",
            "-o", directory.toString()));
        final Path stdout = directory.resolve("stdout");
        final Path stderr = directory.resolve("stderr");
        final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "expected vis did not finish");
        final String out = Files.readString(stdout, StandardCharsets.UTF_8);
        final String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out + err);
        assertEquals(directory.resolve("vis_1024.h5") + ": 1 integrations x 1 frequencies x 136 products, exact\n",
            out);
        assertEquals("", err);
    }
}
