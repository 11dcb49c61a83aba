package org.kotekanj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code kotekan-j} command in a child JVM, started as {@code tools/kotekan-j} starts it (same JVM flags, this test
 * run's classpath so the test stages are there), with its output going to a file.
 */
final class KotekanProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;

    private KotekanProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    static KotekanProcess start(final Path output, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xms64m", "-Xmx256m", "-XX:+UseZGC", "-XX:+PerfDisableSharedMem",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        return new KotekanProcess(process, output);
    }

    Process process()
    {
        return process;
    }

    String output() throws IOException
    {
        return Files.readString(output);
    }

    /** Waits for the exit status, killing the process if it takes longer than {@code seconds}. */
    int waitFor(final int seconds) throws Exception
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kotekan-j did not exit in " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
