package org.kotekanj.correlator.cuda;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.cli.Main;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.correlator.VisibilityFileReader;
import org.kotekanj.log.Log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a node does about {@code backend:} through the real CLI: without a driver, {@code cuda} refuses to start (exit
 * 3, the probe's sentence) and {@code auto} runs on the CPU saying why; with a device, {@code cuda} writes the same
 * files as {@code cpu}, backend attribute aside.
 */
class CudaFallbackTest
{
    @TempDir
    Path dir;

    private Path config(final String backend, final String output) throws Exception
    {
        final String yaml = """
            profile: chime
            inputs_per_packet: 5
            samples_per_frame: 256
            threading_mode: shared
            samples:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 4 * 256 * 128
            vis:
              kotekan_buffer: standard
              num_frames: 4
              frame_size: 4096 + 4 * 210 * 16
              hugepages: "off"
            source:
              kotekan_stage: ScriptedSampleSource
              out_buf: samples
              frames: 4
              first_frame: 0
              lost: [1, 3]
              skip_frames: []
            correlator:
              kotekan_stage: Correlator
              in_buf: samples
              out_buf: vis
              samples_per_integration: 512
              backend: %s
            writer:
              kotekan_stage: VisibilityWriter
              in_buf: vis
              output_dir: %s
              integrations_per_file: 2
            """.formatted(backend, dir.resolve(output));
        final Path path = dir.resolve(backend + ".yaml");
        Files.writeString(path, yaml);
        return path;
    }

    private record Run(int exit, String err)
    {
    }

    private static Run run(final Path config)
    {
        final PrintStream saved = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        Log.redirect(capture);
        try
        {
            final int exit = Main.commandLine().execute("run", config.toString(), "--no-rest", "--counters-dir",
                config.getParent().resolve("counters").toString());
            return new Run(exit, err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setErr(saved);
            Log.redirect(saved);
        }
    }

    private List<VisibilityChunk> files(final String output) throws Exception
    {
        try (Stream<Path> paths = Files.list(dir.resolve(output)))
        {
            return paths.filter(p -> p.getFileName().toString().endsWith(".h5")).sorted().map(p ->
            {
                try
                {
                    return VisibilityFileReader.read(p);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void shouldRefuseToStartCudaWithExit3AndTheProbesSentence() throws Exception
    {
        final String reason = CudaDriverProbe.unavailableReason(0);
        assumeTrue(reason != null, "this machine has a CUDA device");
        final Run run = run(config("cuda", "out-cuda"));
        assertEquals(3, run.exit(), run.err());
        assertTrue(run.err().contains("failed to start") && run.err().contains(reason), run.err());
    }

    @Test
    void shouldFallBackToTheCpuForAutoAndSayWhyOnce() throws Exception
    {
        final String reason = CudaDriverProbe.unavailableReason(0);
        assumeTrue(reason != null, "this machine has a CUDA device");
        final Run run = run(config("auto", "out-auto"));
        assertEquals(0, run.exit(), run.err());
        final List<VisibilityChunk> files = files("out-auto");
        assertEquals(1, files.size());
        assertEquals("cpu", files.get(0).backend());
        assertEquals(1, run.err().lines().filter(l -> l.contains("auto: cpu (" + reason + ")")).count(), run.err());
    }

    @Test
    void shouldWriteTheCpuBackendsFilesWithTheCudaBackend() throws Exception
    {
        final String reason = CudaDriverProbe.unavailableReason(0);
        assumeTrue(reason == null, reason);
        final Run cuda = run(config("cuda", "out-cuda"));
        assertEquals(0, cuda.exit(), cuda.err());
        final Run cpu = run(config("cpu", "out-cpu"));
        assertEquals(0, cpu.exit(), cpu.err());
        final List<VisibilityChunk> gpu = files("out-cuda");
        final List<VisibilityChunk> reference = files("out-cpu");
        assertEquals(reference.size(), gpu.size());
        for (int i = 0; i < gpu.size(); i++)
        {
            assertEquals("cuda", gpu.get(i).backend());
            assertTrue(java.util.Arrays.deepEquals(reference.get(i).vis(), gpu.get(i).vis()), "file " + i);
            assertTrue(java.util.Arrays.deepEquals(reference.get(i).lostSamples(), gpu.get(i).lostSamples()));
        }
    }
}
