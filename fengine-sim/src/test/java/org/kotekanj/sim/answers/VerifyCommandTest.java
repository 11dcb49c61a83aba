package org.kotekanj.sim.answers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.correlator.VisibilityFileReader;
import org.kotekanj.correlator.VisibilityFileWriter;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.sim.signal.SampleByte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kotekan-j expected} writes answers that {@code kotekan-j verify} accepts, and verify finds what differs. */
class VerifyCommandTest
{
    private static final String WALSH = """
        profile: single-board
        links: [1]
        samples_per_frame: 256
        signal: {type: walsh, seed: 3}
        """;
    private static final String GAUSSIAN = """
        sim:
          profile: single-board
          links: [0]
          samples_per_integration: 49152
          signal: {type: gaussian, seed: 5, sky_sigma: 2.5, noise_sigma: 1.0, delay_step_ns: 0.7}
        """;

    @TempDir
    Path directory;

    @Test
    void shouldAcceptItsOwnExpectedVisibilities() throws IOException
    {
        final Path config = write("walsh.yaml", WALSH);
        final CommandRun expected = CommandRun.of("expected", "vis", config.toString(), "--start", "1024",
            "--integrations", "2", "--freq-id", "1,9", "-o", directory.toString());
        assertEquals(0, expected.exitCode(), expected.toString());
        final Path file = directory.resolve("vis_1024.h5");
        final VisibilityChunk chunk = VisibilityFileReader.read(file);
        assertEquals(16, chunk.numInputs());
        assertEquals(256, chunk.samplesPerIntegration());
        assertArrayEquals(new long[] {1024, 1280}, chunk.timeFpga());
        assertArrayEquals(new int[] {1, 9}, chunk.freqIds());
        assertNull(chunk.tolerance(), "walsh answers are exact");
        final CommandRun verify = CommandRun.of("verify", config.toString(), file.toString());
        assertEquals(0, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("visibilities: OK - 544 checked, 0 different, 0 skipped"), verify.out());
    }

    @Test
    void shouldReportTheFirstDifferencesWithFrequencyProductAndTime() throws IOException
    {
        final Path config = write("walsh.yaml", WALSH);
        CommandRun.of("expected", "vis", config.toString(), "--start", "0", "--integrations", "2", "--freq-id",
            "1,9", "-o", directory.toString());
        final Path file = directory.resolve("vis_0.h5");
        final VisibilityChunk chunk = VisibilityFileReader.read(file);
        chunk.vis()[1][1][17][1] += 1;
        chunk.vis()[0][0][0][0] -= 4;
        Files.delete(file);
        VisibilityFileWriter.write(directory, chunk);
        final CommandRun verify = CommandRun.of("verify", config.toString(), file.toString(), "--max-differences",
            "1");
        assertEquals(1, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("differs: freq_id 1, product 0 (0, 0), time_fpga 0: expected "),
            verify.out());
        assertTrue(verify.out().contains("... and 1 more differences"), verify.out());
        assertTrue(verify.out().contains("2 different"), verify.out());
    }

    @Test
    void shouldSkipIntegrationsWithLostSamples() throws IOException
    {
        final Path config = write("walsh.yaml", WALSH);
        CommandRun.of("expected", "vis", config.toString(), "--start", "0", "--freq-id", "1", "-o",
            directory.toString());
        final Path file = directory.resolve("vis_0.h5");
        final VisibilityChunk chunk = VisibilityFileReader.read(file);
        chunk.lostSamples()[0][0] = 2;
        chunk.vis()[0][0][3][0] = 0;
        Files.delete(file);
        VisibilityFileWriter.write(directory, chunk);
        final CommandRun verify = CommandRun.of("verify", config.toString(), file.toString());
        assertEquals(0, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("0 checked, 0 different, 136 skipped"), verify.out());
    }

    @Test
    void shouldAcceptARealisedGaussianRunWithinTheStatisticalTolerance() throws IOException
    {
        final Path config = write("gaussian.yaml", GAUSSIAN);
        final CommandRun realised = CommandRun.of("expected", "vis", config.toString(), "--start", "98304",
            "--freq-id", "8", "--brute-force", "-o", directory.toString());
        assertEquals(0, realised.exitCode(), realised.toString());
        assertTrue(realised.out().contains(", exact"), realised.out());
        final Path file = directory.resolve("vis_98304.h5");
        final CommandRun verify = CommandRun.of("verify", config.toString(), file.toString());
        assertEquals(0, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("136 checked, 0 different"), verify.out());

        final Path analytic = directory.resolve("analytic");
        final CommandRun mean = CommandRun.of("expected", "vis", config.toString(), "--start", "98304", "--freq-id",
            "8", "-o", analytic.toString());
        assertTrue(mean.out().contains("statistical (see vis_tolerance)"), mean.out());
        assertNotNull(VisibilityFileReader.read(analytic.resolve("vis_98304.h5")).tolerance());
    }

    @Test
    void shouldVerifyBasebandByteForByte() throws IOException
    {
        final Path config = write("walsh.yaml", WALSH);
        final Path file = directory.resolve("dump.h5");
        final CommandRun expected = CommandRun.of("expected", "baseband", config.toString(), "--freq-id", "9",
            "--start", "5000", "--samples", "40", "-o", file.toString());
        assertEquals(0, expected.exitCode(), expected.toString());
        assertEquals(0, CommandRun.of("verify", config.toString(), file.toString()).exitCode());

        final BasebandWindow window = BasebandWindowFile.read(file);
        assertEquals(40, window.numTimes());
        assertEquals(16, window.numInputs());
        // Row 3 lost input 2 (0x88, not present), row 20 was never captured (0x00, not present): both as the dump
        // contract stores them. Row 39 claims to be present but holds a 0x88, row 30 a byte that is no sample.
        window.samples()[3][2] = SampleByte.ZERO;
        window.present()[3] = false;
        java.util.Arrays.fill(window.samples()[20], (byte)0);
        window.present()[20] = false;
        window.samples()[39][0] = SampleByte.ZERO;
        window.samples()[30][5] = (byte)(window.samples()[30][5] + 1 == 0 ? 2 : window.samples()[30][5] + 1);
        window.present()[30] = false;
        Files.delete(file);
        BasebandWindowFile.write(file, window, PacketGeometry.singleBoard());
        final CommandRun lost = CommandRun.of("verify", config.toString(), file.toString());
        assertEquals(1, lost.exitCode(), lost.toString());
        assertTrue(lost.out().contains("note: 1 bytes are 0x88 where the signal is not"), lost.out());
        assertTrue(lost.out().contains("differs: freq_id 9, input 0, time_fpga 5039: expected 0x"), lost.out());
        assertTrue(lost.out().contains("differs: freq_id 9, input 5, time_fpga 5030 (not captured)"), lost.out());
        assertTrue(lost.out().contains("2 different"), lost.out());
    }

    @Test
    void shouldExitTwoOnAnUnusableConfigOrFile() throws IOException
    {
        final Path bad = write("bad.yaml", "signal: {type: const, real: 12}\n");
        final CommandRun config = CommandRun.of("verify", bad.toString(), bad.toString());
        assertEquals(2, config.exitCode(), config.toString());
        assertTrue(config.err().contains("must be in -7..7"), config.err());
        final Path good = write("walsh.yaml", WALSH);
        final CommandRun notHdf = CommandRun.of("verify", good.toString(), good.toString());
        assertEquals(2, notHdf.exitCode(), notHdf.toString());
        final CommandRun samples = CommandRun.of("expected", "vis", write("plain.yaml", "profile: chime\n")
            .toString(), "--start", "0");
        assertEquals(2, samples.exitCode(), samples.toString());
        assertTrue(samples.err().contains("samples_per_frame"), samples.err());
    }

    private Path write(final String name, final String yaml) throws IOException
    {
        return Files.writeString(directory.resolve(name), yaml);
    }
}
