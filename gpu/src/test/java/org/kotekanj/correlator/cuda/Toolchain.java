package org.kotekanj.correlator.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The external compilers the kernel tests use when present, and a bounded way to run them. */
final class Toolchain
{
    /** The module's kernel sources and their committed outputs (tests run in the module directory). */
    static final Path CUDA_SOURCES = Path.of("src/main/cuda");
    static final Path COMMITTED = Path.of("src/main/resources/org/kotekanj/correlator/cuda");

    private Toolchain()
    {
    }

    /** nvcc as build-kernels.sh finds it, or {@code null}. */
    static Path nvcc()
    {
        final String env = System.getenv("NVCC");
        if (env != null && Files.isExecutable(Path.of(env)))
        {
            return Path.of(env);
        }
        for (final String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/cuda/bin:/usr/local/bin")
            .split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc")))
            {
                return Path.of(dir, "nvcc");
            }
        }
        return null;
    }

    static Path gxx()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "g++")))
            {
                return Path.of(dir, "g++");
            }
        }
        return null;
    }

    record Result(int exitCode, String output)
    {
    }

    /** Runs a command with a deadline; its stdout and stderr together. */
    static Result run(final List<String> command, final long timeoutSeconds) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[][] output = new byte[1][];
        final Thread reader = Thread.ofPlatform().start(() ->
        {
            try
            {
                output[0] = process.getInputStream().readAllBytes();
            }
            catch (final IOException e)
            {
                output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(process.exitValue(), new String(output[0] == null ? new byte[0] : output[0],
            StandardCharsets.UTF_8));
    }
}
