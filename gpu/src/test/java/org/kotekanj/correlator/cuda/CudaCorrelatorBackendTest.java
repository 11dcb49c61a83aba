package org.kotekanj.correlator.cuda;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.correlator.CorrelatorGeometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU's sums equal the visibility spec's bit for bit (run by {@code tools/gpu-check.sh} on a GPU machine; skipped
 * where the probe finds no driver or device).
 */
class CudaCorrelatorBackendTest
{
    @BeforeEach
    void requireDevice()
    {
        final String reason = CudaDriverProbe.unavailableReason(0);
        assumeTrue(reason == null, reason);
    }

    private static long[] expected(final byte[] frame, final CorrelatorGeometry g)
    {
        final long[] vis = new long[(int)(2L * g.numProducts() * g.numFreqs())];
        FrameSums.accumulate(frame, g.numFreqs(), g.samplesPerFrame(), g.numInputs(), g.paddedInputs(), 0,
            g.samplesPerFrame(), vis);
        return vis;
    }

    @Test
    void shouldEqualTheScalarSumsAt256InputsAnd4FrequenciesForEveryPattern()
    {
        final CorrelatorGeometry g = new CorrelatorGeometry(4, 256, 256, 1024, 1024);
        try (CudaRig rig = new CudaRig(g, 1, 1, CudaRig.settings(2, CudaSettings.MAX_FLUSH_STAGES)))
        {
            long seed = 100;
            for (final TestFrames pattern : TestFrames.values())
            {
                final byte[] frame = pattern.frame(4, 1024, 256, 256, seed++);
                assertArrayEquals(expected(frame, g), rig.correlate(frame, 1), pattern.toString());
            }
            assertTrue(rig.backend.device().contains("sm_"), rig.backend.device());
            assertEquals(4, rig.backend.timings().count(CudaCommand.CORRELATE));
            assertEquals(4, rig.backend.timings().count(CudaCommand.COPY_IN));
            assertEquals(0, rig.backend.unpinnedCopies());
        }
    }

    @Test
    void shouldEqualTheScalarSumsWhenInputsAreNotAMultipleOfTheTile()
    {
        for (final int[] shape : new int[][] {{130, 256}, {1000, 1024}})
        {
            final CorrelatorGeometry g = new CorrelatorGeometry(4, shape[0], shape[1], 256, 256);
            try (CudaRig rig = new CudaRig(g, 1, 1, CudaRig.settings(1, CudaSettings.MAX_FLUSH_STAGES)))
            {
                final byte[] frame = TestFrames.RANDOM.frame(4, 256, shape[0], shape[1], shape[0]);
                assertArrayEquals(expected(frame, g), rig.correlate(frame, 1), "N=" + shape[0]);
            }
        }
    }

    @Test
    void shouldEqualTheScalarSumsOverRangesOfAFrameAndWithAFlushEveryStage()
    {
        final CorrelatorGeometry g = new CorrelatorGeometry(2, 192, 256, 1000, 1000);
        try (CudaRig rig = new CudaRig(g, 1, 1, CudaRig.settings(2, 1)))
        {
            final byte[] frame = TestFrames.EXTREMES.frame(2, 1000, 192, 256, 7);
            assertArrayEquals(expected(frame, g), rig.correlate(frame, 3));
        }
    }

    @Test
    void shouldSumIntegrationsOfSeveralFramesWithMoreFramesThanSlots()
    {
        final CorrelatorGeometry g = new CorrelatorGeometry(2, 128, 128, 512, 512 * 5);
        try (CudaRig rig = new CudaRig(g, 5, 1, CudaRig.settings(2, CudaSettings.MAX_FLUSH_STAGES)))
        {
            final long[] want = new long[(int)(2L * g.numProducts() * g.numFreqs())];
            final MemorySegment vis = rig.visibilities(0);
            rig.backend.beginIntegration(vis);
            for (int i = 0; i < 5; i++)
            {
                final byte[] content = TestFrames.LOST.frame(2, 512, 128, 128, 50 + i);
                FrameSums.accumulate(content, 2, 512, 128, 128, 0, 512, want);
                rig.backend.accumulate(rig.sampleFrame(i, content), 0, 512, true);
                rig.backend.poll();
            }
            rig.backend.endIntegration();
            rig.awaitIntegrations(1);
            assertEquals(5, rig.backend.framesRetired());
            assertArrayEquals(want, CudaRig.sums(vis));
        }
    }

    @Test
    void shouldCompleteSeveralIntegrationsPerFrameInOrder()
    {
        final CorrelatorGeometry g = new CorrelatorGeometry(1, 128, 128, 1024, 256);
        try (CudaRig rig = new CudaRig(g, 1, 4, CudaRig.settings(2, CudaSettings.MAX_FLUSH_STAGES)))
        {
            final byte[] content = TestFrames.RANDOM.frame(1, 1024, 128, 128, 77);
            final MemorySegment frame = rig.sampleFrame(0, content);
            final MemorySegment[] vis = new MemorySegment[4];
            for (int k = 0; k < 4; k++)
            {
                vis[k] = rig.visibilities(k);
                rig.backend.beginIntegration(vis[k]);
                rig.backend.accumulate(frame, 256 * k, 256, k == 3);
                rig.backend.endIntegration();
            }
            rig.awaitIntegrations(4);
            for (int k = 0; k < 4; k++)
            {
                final long[] want = new long[(int)(2L * g.numProducts())];
                FrameSums.accumulate(content, 1, 1024, 128, 128, 256 * k, 256, want);
                assertArrayEquals(want, CudaRig.sums(vis[k]), "integration " + k);
            }
        }
    }

    @Test
    void shouldHoldTheIdentitiesAndRandomBaselinesAt2048InputsAnd4Frequencies()
    {
        final int n = 2048;
        final int samples = 8192;
        final CorrelatorGeometry g = new CorrelatorGeometry(4, n, n, samples, samples);
        try (CudaRig rig = new CudaRig(g, 1, 1, CudaRig.settings(1, CudaSettings.MAX_FLUSH_STAGES)))
        {
            final byte[] frame = TestFrames.RANDOM.frame(4, samples, n, n, 2048);
            final long[] vis = rig.correlate(frame, 1);
            final long numProducts = g.numProducts();
            for (int f = 0; f < 4; f++)
            {
                // O(N*T): s_t = sum_j x_j(t); row i of the Hermitian matrix sums to sum_t x_i(t) conj(s_t)
                final long[] sRe = new long[samples];
                final long[] sIm = new long[samples];
                for (int t = 0; t < samples; t++)
                {
                    final int row = (f * samples + t) * n;
                    for (int j = 0; j < n; j++)
                    {
                        sRe[t] += FrameSums.re(frame[row + j]);
                        sIm[t] += FrameSums.im(frame[row + j]);
                    }
                }
                final long[] rowRe = new long[n];
                final long[] rowIm = new long[n];
                long totalRe = 0;
                long totalIm = 0;
                int prod = 0;
                for (int a = 0; a < n; a++)
                {
                    for (int b = a; b < n; b++, prod++)
                    {
                        final long re = vis[(int)(2 * (f * numProducts + prod))];
                        final long im = vis[(int)(2 * (f * numProducts + prod)) + 1];
                        rowRe[a] += re;
                        rowIm[a] += im;
                        totalRe += re;
                        totalIm += im;
                        if (b != a)
                        {
                            rowRe[b] += re;     // V_ba = conj(V_ab)
                            rowIm[b] -= im;
                            totalRe += re;
                            totalIm -= im;
                        }
                    }
                }
                long wantTotal = 0;
                for (int t = 0; t < samples; t++)
                {
                    wantTotal += sRe[t] * sRe[t] + sIm[t] * sIm[t];
                }
                assertEquals(wantTotal, totalRe, "grand total, freq " + f);
                assertEquals(0, totalIm, "grand total is real, freq " + f);
                for (int i = 0; i < n; i++)
                {
                    long re = 0;
                    long im = 0;
                    for (int t = 0; t < samples; t++)
                    {
                        final byte x = frame[(f * samples + t) * n + i];
                        final int xr = FrameSums.re(x);
                        final int xi = FrameSums.im(x);
                        re += xr * sRe[t] + xi * sIm[t];
                        im += xi * sRe[t] - xr * sIm[t];
                    }
                    assertEquals(re, rowRe[i], "row " + i + " re, freq " + f);
                    assertEquals(im, rowIm[i], "row " + i + " im, freq " + f);
                }
            }
            final SplittableRandom random = new SplittableRandom(300);
            for (int k = 0; k < 300; k++)
            {
                final int f = random.nextInt(4);
                final int x = random.nextInt(n);
                final int y = random.nextInt(n);
                final int a = Math.min(x, y);
                final int b = Math.max(x, y);
                final long prod = (long)a * n - (long)a * (a - 1) / 2 + (b - a);
                final long[] want = FrameSums.product(frame, f, samples, n, a, b, 0, samples);
                assertEquals(want[0], vis[(int)(2 * (f * numProducts + prod))], "re (" + a + ", " + b + ")");
                assertEquals(want[1], vis[(int)(2 * (f * numProducts + prod)) + 1], "im (" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void shouldRefuseCallsFromAThreadOtherThanItsOwner() throws Exception
    {
        final CorrelatorGeometry g = new CorrelatorGeometry(1, 128, 128, 64, 64);
        try (CudaRig rig = new CudaRig(g, 1, 1, CudaRig.settings(1, CudaSettings.MAX_FLUSH_STAGES)))
        {
            final Throwable[] thrown = new Throwable[1];
            final Thread other = Thread.ofPlatform().start(() ->
                thrown[0] = assertThrows(IllegalStateException.class, () -> rig.backend.poll()));
            other.join(10_000);
            assertTrue(thrown[0].getMessage().contains("owned by thread"), thrown[0].getMessage());
        }
    }
}
