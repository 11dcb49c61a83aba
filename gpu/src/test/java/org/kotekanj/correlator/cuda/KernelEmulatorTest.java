package org.kotekanj.correlator.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels' data movement, run on the CPU by {@code emulate_correlator.cpp} (the kernels' own index functions from
 * {@code kj_layout.cuh}, ldmatrix and mma.sync from the PTX ISA's fragment definitions), equals the visibility spec's
 * sums bit for bit. This is the check of the layout logic that needs no GPU: fragment ownership, the conjugate-
 * permuted operand, the shared-memory swizzle, tile-pair decoding, the flushes, padding and partial frames.
 */
class KernelEmulatorTest
{
    @TempDir
    static Path dir;
    private static Path emulator;

    @BeforeAll
    static void buildEmulator() throws Exception
    {
        final Path gxx = Toolchain.gxx();
        assumeTrue(gxx != null, "g++ is not installed");
        emulator = dir.resolve("emulate_correlator");
        final Toolchain.Result built = Toolchain.run(List.of(gxx.toString(), "-O2", "-std=c++17", "-Wall", "-Werror",
            "-I", Toolchain.CUDA_SOURCES.toString(), "-o", emulator.toString(),
            Toolchain.CUDA_SOURCES.resolve("emulate_correlator.cpp").toString()), 300);
        assertEquals(0, built.exitCode(), built.output());
    }

    @Test
    void shouldPassTheEmulatorsOwnCasesWithoutBankConflicts() throws Exception
    {
        final Toolchain.Result result = Toolchain.run(List.of(emulator.toString(), "--self-test"), 120);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("all cases exact"), result.output());
    }

    @Test
    void shouldEqualTheScalarSumsOnRandomExtremeOneHotAndLostFramesOf256InputsAnd4Frequencies() throws Exception
    {
        long seed = 1;
        for (final TestFrames pattern : TestFrames.values())
        {
            check(pattern, 4, 128, 256, 256, 131072, 1, seed++);
        }
    }

    @Test
    void shouldEqualTheScalarSumsWhenInputsAreNotAMultipleOfTheTile() throws Exception
    {
        check(TestFrames.RANDOM, 2, 64, 130, 256, 131072, 1, 11);
        check(TestFrames.RANDOM, 1, 64, 1000, 1024, 131072, 1, 12);
    }

    @Test
    void shouldEqualTheScalarSumsOverSeveralRangesOfAFrameAndFlushesEveryStage() throws Exception
    {
        check(TestFrames.EXTREMES, 2, 320, 128, 128, 1, 3, 21);
        check(TestFrames.LOST, 1, 200, 200, 256, 2, 2, 22);
    }

    private static void check(final TestFrames pattern, final int numFreqs, final int samples, final int numInputs,
        final int paddedInputs, final int flushStages, final int ranges, final long seed) throws Exception
    {
        final byte[] frame = pattern.frame(numFreqs, samples, numInputs, paddedInputs, seed);
        final Path in = dir.resolve("frame.bin");
        final Path out = dir.resolve("vis.bin");
        Files.write(in, frame);
        final Toolchain.Result result = Toolchain.run(List.of(emulator.toString(), in.toString(), out.toString(),
            Integer.toString(numFreqs), Integer.toString(samples), Integer.toString(numInputs),
            Integer.toString(paddedInputs), Integer.toString(flushStages), Integer.toString(ranges)), 300);
        assertEquals(0, result.exitCode(), result.output());

        final long numProducts = (long)numInputs * (numInputs + 1) / 2;
        final long[] expected = new long[(int)(2 * numProducts * numFreqs)];
        FrameSums.accumulate(frame, numFreqs, samples, numInputs, paddedInputs, 0, samples, expected);
        final long[] emulated = new long[expected.length];
        ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(emulated);
        assertArrayEquals(expected, emulated, pattern + " N=" + numInputs + " x " + numFreqs + " freq, T=" + samples);
    }
}
