package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The files open with h5py and h5dump, the readers scientists use (installed by {@code .ci/run}). */
class ExternalReadersTest
{
    @TempDir
    Path archive;

    @Test
    void shouldOpenWithH5pyAndH5dump() throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/h5dump")), "h5dump (hdf5-tools) is not installed");
        assumeTrue(run(List.of("/usr/bin/python3", "-c", "import h5py")).exit() == 0, "python3-h5py is not installed");
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(5, 40_000, 200, 1.0, 0.0, 400.0)).status());
            h.runUntilEnded(5);
        }
        final Path file = archive.resolve("test/astro_5/baseband_5_600.h5");
        final String script = String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "b = f['baseband'][:]",
            "t0 = int(f.attrs['time0_fpga_count'])",
            "fid = int(f.attrs['freq_id'])",
            "assert b.dtype == np.uint8 and b.shape[1] == 16, (b.dtype, b.shape)",
            "assert list(f['baseband'].attrs['axis'].astype(str)) == ['time', 'input']",
            "assert f['sample_present'][:].all()",
            "assert f['index_map/input_chan_id'][:].tolist() == list(range(16))",
            "assert f.attrs['type_time0_ctime'] in (b'CONFIG', 'CONFIG')",
            "print(b.shape[0], t0, fid, f.attrs['status'])");
        final Result py = run(List.of("/usr/bin/python3", "-c", script, file.toString()));
        assertEquals(0, py.exit(), py.output());
        assertTrue(py.output().contains(" 600 "), py.output());
        final Result dump = run(List.of("/usr/bin/h5dump", "-H", file.toString()));
        assertEquals(0, dump.exit(), dump.output());
        for (final String name : new String[] {"DATASET \"baseband\"", "DATASET \"sample_present\"",
            "GROUP \"index_map\"", "ATTRIBUTE \"time0_fpga_count\"", "ATTRIBUTE \"axis\""})
        {
            assertTrue(dump.output().contains(name), name + " in\n" + dump.output());
        }
    }

    @Test
    void shouldShowH5pyTheLostAndLeftOutSamplesOfAPartialDump() throws Exception
    {
        assumeTrue(run(List.of("/usr/bin/python3", "-c", "import h5py")).exit() == 0, "python3-h5py is not installed");
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 40);
            // Frame 40: flag row 470 of freq index 2 (freq_id 600) loses input block 1; from frame 41 on stream 1
            // (block 1) is re-aligned after an F-engine reset.
            h.feeder.feed(40, 0, new int[] {470, 2, 1});
            for (long frame = 41; frame < 44; frame++)
            {
                h.feeder.feed(frame, 0, new long[] {0, 8L * 1024});
            }
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(6, 41 * 1024 - 100, 200, 0, 0, 400.0)).status());
            h.runUntilEnded(6);
        }
        final String script = String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "b = f['baseband'][:]",
            "p = f['sample_present'][:]",
            "assert p.dtype == np.uint8 and p.shape == (200,), (p.dtype, p.shape)",
            "assert p[:16].all() and not p[16:18].any() and p[18:100].all() and not p[100:].any(), p",
            "assert (b[16:18, 8:] == 0x88).all() and (b[16:18, :8] != 0x88).all()",
            "assert (b[100:, 8:] == 0).all() and (b[100:, :8] != 0).all()",
            "assert int(f.attrs['n_lost_samples']) == 102, f.attrs['n_lost_samples']",
            "assert f.attrs['status'] in (b'partial', 'partial'), f.attrs['status']",
            "print('ok')");
        final Result py = run(List.of("/usr/bin/python3", "-c", script,
            archive.resolve("test/astro_6/baseband_6_600.h5").toString()));
        assertEquals(0, py.exit(), py.output());
        assertTrue(py.output().contains("ok"), py.output());
    }

    record Result(int exit, String output)
    {
    }

    static Result run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8));
    }
}
