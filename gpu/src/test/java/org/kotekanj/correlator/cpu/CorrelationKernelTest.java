package org.kotekanj.correlator.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.kotekanj.correlator.ScalarCorrelator;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The scalar oracle, the Vector API kernel and both native paths (AVX-512 VNNI and AVX2) agree bit for bit: random
 * data, one-hot pairs (which pin the product order and the conjugation sign), extremes, lost samples, input counts
 * that are no multiple of any tile, and time counts that cross every chunk boundary.
 */
class CorrelationKernelTest
{
    private static final int[] INPUTS = {1, 3, 17, 130};
    private static final Arena ARENA = Arena.ofShared();

    @AfterAll
    static void close()
    {
        ARENA.close();
    }

    private static List<CorrelationKernel> kernels()
    {
        final List<CorrelationKernel> kernels = new ArrayList<>();
        kernels.add(new VectorCorrelationKernel());
        final NativeCorrelationKernel best = NativeCorrelationKernel.load();
        if (best != null)
        {
            kernels.add(best);
        }
        return kernels;
    }

    private static MemorySegment samples(final int numInputs, final int numTime, final SplittableRandom random,
        final int mode)
    {
        final long stride = (numInputs + 127) / 128 * 128;
        final MemorySegment segment = ARENA.allocate(stride * numTime, 64);
        segment.fill((byte)0x88);
        for (int t = 0; t < numTime; t++)
        {
            for (int i = 0; i < numInputs; i++)
            {
                final byte value = switch (mode)
                {
                    case 0 -> (byte)random.nextInt(256);                          // random, -8 included
                    case 1 -> (byte)(random.nextBoolean() ? 0x00 : 0xFF);          // -8-8i and 7+7i
                    case 2 -> (byte)(random.nextInt(4) == 0 ? 0x88 : random.nextInt(256));  // lost samples
                    default -> (byte)(random.nextBoolean() ? 0x0F : 0xF0);         // -8+7i and 7-8i
                };
                segment.set(JAVA_BYTE, t * stride + i, value);
            }
        }
        return segment;
    }

    private static long[][] run(final CorrelationKernel kernel, final MemorySegment samples, final int numInputs,
        final int numTime, final int threads)
    {
        final long stride = (numInputs + 127) / 128 * 128;
        final int products = numInputs * (numInputs + 1) / 2;
        final MemorySegment sums = ARENA.allocate(16L * products, 64);
        try (CorrelationKernel.Worker worker = kernel.newWorker(numInputs))
        {
            for (int thread = 0; thread < threads; thread++)
            {
                worker.accumulate(samples, 0, stride, numTime, sums, 0, thread, threads);
            }
        }
        final long[][] result = new long[products][2];
        for (int p = 0; p < products; p++)
        {
            result[p][0] = sums.getAtIndex(JAVA_LONG, 2L * p);
            result[p][1] = sums.getAtIndex(JAVA_LONG, 2L * p + 1);
        }
        return result;
    }

    @Test
    void shouldAgreeWithTheOracleBitForBit()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (final int numInputs : INPUTS)
        {
            for (int mode = 0; mode < 4; mode++)
            {
                for (final int numTime : new int[] {1, 2, 255, 256, 513, 1100})
                {
                    final MemorySegment data = samples(numInputs, numTime, random, mode);
                    final long[][] expected = ScalarCorrelator.correlate(data, (numInputs + 127) / 128 * 128,
                        numInputs, numTime);
                    for (final CorrelationKernel kernel : kernels())
                    {
                        for (final int threads : new int[] {1, 3})
                        {
                            assertArrayEquals(expected, run(kernel, data, numInputs, numTime, threads),
                                kernel.name() + ", N=" + numInputs + ", T=" + numTime + ", mode " + mode + ", " +
                                    threads + " threads");
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeOnBothNativePaths()
    {
        final NativeCorrelationKernel best = NativeCorrelationKernel.load();
        if (best == null || best.isa() < NativeCorrelationKernel.ISA_AVX512_VNNI)
        {
            return;  // this CPU has one native path at most; shouldAgreeWithTheOracleBitForBit covers it
        }
        final SplittableRandom random = new SplittableRandom(7);
        try
        {
            final NativeCorrelationKernel avx2 = NativeCorrelationKernel.load(NativeCorrelationKernel.ISA_AVX2);
            assertNotNull(avx2);
            assertEquals(NativeCorrelationKernel.ISA_AVX2, avx2.isa());
            for (final int numInputs : INPUTS)
            {
                final MemorySegment data = samples(numInputs, 700, random, 0);
                assertArrayEquals(ScalarCorrelator.correlate(data, (numInputs + 127) / 128 * 128, numInputs, 700),
                    run(avx2, data, numInputs, 700, 2), "avx2, N=" + numInputs);
            }
        }
        finally
        {
            NativeCorrelationKernel.load(-1);
        }
    }

    @Test
    void shouldPinProductOrderAndConjugationWithOneHotPairs()
    {
        final int numInputs = 17;
        final long stride = 128;
        for (int a = 0; a < numInputs; a++)
        {
            for (int b = a + 1; b < numInputs; b += 5)
            {
                // x_a = 1 + 2i (0x9A), x_b = 3 - 1i (0xB7), all else zero: x_a conj(x_b) = 1 + 7i at prod(a, b) only
                final MemorySegment data = ARENA.allocate(stride, 64);
                data.fill((byte)0x88);
                data.set(JAVA_BYTE, a, (byte)0x9A);
                data.set(JAVA_BYTE, b, (byte)0xB7);
                for (final CorrelationKernel kernel : kernels())
                {
                    final long[][] sums = run(kernel, data, numInputs, 1, 1);
                    final int prod = a * numInputs - a * (a - 1) / 2 + (b - a);
                    assertArrayEquals(new long[] {1, 7}, sums[prod], kernel.name() + " (" + a + ", " + b + ")");
                    assertArrayEquals(new long[] {5, 0}, sums[prod - (b - a)], kernel.name() + " auto of " + a);
                    long nonZero = 0;
                    for (final long[] sum : sums)
                    {
                        nonZero += sum[0] != 0 || sum[1] != 0 ? 1 : 0;
                    }
                    assertEquals(3, nonZero, kernel.name() + ": only (a,a), (a,b), (b,b) are non-zero");
                }
            }
        }
    }
}
