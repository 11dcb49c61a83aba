package org.kotekanj.correlator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the reference HDF5 readers a file must open with; a test that needs one is skipped where it is missing. */
final class ExternalTools
{
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String H5DUMP = "h5dump";

    private ExternalTools()
    {
    }

    static void assumeH5py()
    {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + ": cannot check the file with h5py");
        Assumptions.assumeTrue(exitCode(List.of(PYTHON.toString(), "-c", "import h5py")) == 0,
            "python3 has no h5py module: cannot check the file with h5py");
    }

    static void assumeH5dump()
    {
        Assumptions.assumeTrue(exitCode(List.of(H5DUMP, "--version")) == 0, "no h5dump on the PATH");
    }

    /** Runs a command and returns its standard output; fails the test on a non-zero exit. */
    static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        return output;
    }

    private static int exitCode(final List<String> command)
    {
        try
        {
            final Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final IOException e)
        {
            return -1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
