package org.kotekanj.correlator.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed kernels are what the sources build to (checked where nvcc exists: nvcc output is deterministic, so
 * every byte is compared), the build check rejects the emulated sub-byte MMA, and the committed resource usage shows
 * every kernel on every architecture with its registers and no spills.
 */
class KernelArtifactsTest
{
    private static final List<String> FILES = List.of("correlator.fatbin", "correlator_compute_80.ptx",
        "correlator_compute_90.ptx", "resource-usage.txt");

    @Test
    void shouldRegenerateTheCommittedKernelsByteForByte(@TempDir final Path out) throws Exception
    {
        assumeTrue(Toolchain.nvcc() != null, "nvcc is not installed");
        final Toolchain.Result build = Toolchain.run(
            List.of("bash", Toolchain.CUDA_SOURCES.resolve("build-kernels.sh").toString(), out.toString()), 300);
        assertEquals(0, build.exitCode(), build.output());
        final String committedBy = Files.readAllLines(Toolchain.COMMITTED.resolve("resource-usage.txt")).get(1);
        final String builtBy = Files.readAllLines(out.resolve("resource-usage.txt")).get(1);
        assumeTrue(committedBy.equals(builtBy), "the kernels were committed by another nvcc (" + committedBy +
            "), this one is " + builtBy);
        for (final String file : FILES)
        {
            assertArrayEquals(Files.readAllBytes(Toolchain.COMMITTED.resolve(file)), Files.readAllBytes(out.resolve(file)),
                file + " differs from what the sources build to: run gpu/src/main/cuda/build-kernels.sh " +
                    "gpu/src/main/resources/org/kotekanj/correlator/cuda and commit");
        }
    }

    @Test
    void shouldFailTheBuildCheckOnACubinWithTheEmulatedSubByteMma(@TempDir final Path dir) throws Exception
    {
        final Path nvcc = Toolchain.nvcc();
        assumeTrue(nvcc != null, "nvcc is not installed");
        final Path probe = dir.resolve("sub_byte_probe.cu");
        try (var in = KernelArtifactsTest.class.getResourceAsStream("sub_byte_probe.cu"))
        {
            Files.write(probe, in.readAllBytes());
        }
        final Path cubin = dir.resolve("probe_sm_90.cubin");
        final Toolchain.Result compiled = Toolchain.run(
            List.of(nvcc.toString(), "-cubin", "-arch=sm_90", "-o", cubin.toString(), probe.toString()), 120);
        assertEquals(0, compiled.exitCode(), compiled.output());

        final String script = Toolchain.CUDA_SOURCES.resolve("build-kernels.sh").toString();
        final Toolchain.Result rejected = Toolchain.run(List.of("bash", script, "--check", cubin.toString()), 60);
        assertEquals(1, rejected.exitCode(), rejected.output());
        assertTrue(rejected.output().contains("holds the emulated sub-byte MMA (mma_sub_byte)"), rejected.output());

        final Toolchain.Result accepted = Toolchain.run(
            List.of("bash", script, "--check", Toolchain.COMMITTED.resolve("correlator.fatbin").toString()), 60);
        assertEquals(0, accepted.exitCode(), accepted.output());
    }

    @Test
    void shouldCommitRegistersAndNoSpillsForEveryKernelOnEveryArchitecture() throws IOException
    {
        final String usage = Files.readString(Toolchain.COMMITTED.resolve("resource-usage.txt"));
        for (final String sm : List.of("sm_80", "sm_89", "sm_90"))
        {
            for (final String kernel : List.of("kj_unpack", "kj_correlate"))
            {
                final Matcher registers = Pattern.compile(sm + " " + kernel + ": Used (\\d+) registers").matcher(usage);
                assertTrue(registers.find(), sm + " " + kernel + " in\n" + usage);
                assertTrue(Integer.parseInt(registers.group(1)) <= 255, registers.group());
                assertTrue(usage.contains(sm + " " + kernel + ": 0 bytes stack frame, 0 bytes spill stores, " +
                    "0 bytes spill loads"), sm + " " + kernel + " spills:\n" + usage);
            }
        }
    }

    @Test
    void shouldShipTheFatbinAndBothPtxOnTheClasspath()
    {
        for (final String image : CudaKernels.IMAGES)
        {
            final byte[] bytes = CudaKernels.image(image);
            assertTrue(bytes.length > 10_000, image);
            if (image.endsWith(".ptx"))
            {
                assertEquals(0, bytes[bytes.length - 1], "PTX is NUL-terminated for cuModuleLoadData");
                assertTrue(new String(bytes, 0, 4096).contains(".target sm_" + image.replaceAll("\\D", "")), image);
            }
        }
    }
}
