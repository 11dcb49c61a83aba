package org.kotekanj.correlator.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The pure-Java X-engine (Vector API): what runs where the native helper is absent, and its bit-for-bit twin.
 *
 * <p>Each chunk of time samples is unpacked once into int16 real and imaginary parts, inputs b lane by lane
 * ({@code [b block][time][lanes]}) and inputs a as scalars ({@code [a][time]}). A register tile is 4 inputs a by two
 * vectors of inputs b, re and im (16 accumulators); per time sample it loads 4 vectors of b and multiplies them by
 * broadcast parts of a: {@code re += ra·rb + ia·ib}, {@code im += ia·rb − ra·ib}. Only tiles touching the upper
 * triangle are computed; the flush keeps {@code a ≤ b < N}.
 *
 * <p>Overflow bound: with {@code |x| ≤ 8} (−8 included, which the spec forbids but a broken F-engine sends), one
 * sample adds at most {@code 8·8 + 8·8 = 128} to a re or im lane, and a partial sum never exceeds the previous one by
 * more than that. int16 holds 32767, so {@value #CHUNK} samples (at most 32640) are summed in int16 lanes, then
 * widened and added to the int64 sums.
 */
public final class VectorCorrelationKernel implements CorrelationKernel
{
    static final int CHUNK = 255;
    private static final int ROWS = 4;
    private static final VectorSpecies<Short> SPECIES = ShortVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int WIDTH = 2 * LANES;

    @Override
    public String name()
    {
        return "vector " + SPECIES.vectorBitSize() + "-bit";
    }

    @Override
    public Worker newWorker(final int numInputs)
    {
        return new VectorWorker(numInputs);
    }

    private static final class VectorWorker implements Worker
    {
        private final int n;
        private final int rows;
        private final int lanesB;
        private final short[] reA;
        private final short[] imA;
        private final short[] reB;
        private final short[] imB;
        private final short[][] flushRe = new short[ROWS][WIDTH];
        private final short[][] flushIm = new short[ROWS][WIDTH];

        VectorWorker(final int numInputs)
        {
            n = numInputs;
            rows = (numInputs + ROWS - 1) / ROWS * ROWS;
            lanesB = (numInputs + WIDTH - 1) / WIDTH * WIDTH;
            reA = new short[rows * CHUNK];
            imA = new short[rows * CHUNK];
            reB = new short[lanesB * CHUNK];
            imB = new short[lanesB * CHUNK];
        }

        @Override
        public int numBlocks()
        {
            return rows / ROWS;
        }

        @Override
        public void accumulate(final MemorySegment samples, final long stride, final int numTime,
            final MemorySegment sums, final int firstBlock, final int blockStep)
        {
            if (numTime > 0 && (long)(numTime - 1) * stride + n > samples.byteSize() ||
                sums.byteSize() < 16 * ((long)n * (n + 1) / 2))
            {
                throw new IndexOutOfBoundsException("samples or sums too small for " + n + " inputs x " + numTime +
                    " samples");
            }
            for (int t0 = 0; t0 < numTime; t0 += CHUNK)
            {
                final int count = Math.min(CHUNK, numTime - t0);
                unpack(samples, stride, t0, count);
                for (int block = firstBlock; block < rows / ROWS; block += blockStep)
                {
                    final int a0 = block * ROWS;
                    for (int b0 = a0 / WIDTH * WIDTH; b0 < n; b0 += WIDTH)
                    {
                        tile(a0, b0, count, sums);
                    }
                }
            }
        }

        /** Unpacks {@code count} samples into int16 parts; padding inputs and absent samples are zero. */
        private void unpack(final MemorySegment samples, final long stride, final int t0, final int count)
        {
            java.util.Arrays.fill(reA, (short)0);
            java.util.Arrays.fill(imA, (short)0);
            java.util.Arrays.fill(reB, (short)0);
            java.util.Arrays.fill(imB, (short)0);
            for (int t = 0; t < count; t++)
            {
                final long row = (t0 + t) * stride;
                for (int i = 0; i < n; i++)
                {
                    final int v = samples.get(JAVA_BYTE, row + i) & 0xFF;
                    final short re = (short)((v >>> 4) - 8);
                    final short im = (short)((v & 15) - 8);
                    reA[i * CHUNK + t] = re;
                    imA[i * CHUNK + t] = im;
                    final int at = ((i / WIDTH) * CHUNK + t) * WIDTH + i % WIDTH;
                    reB[at] = re;
                    imB[at] = im;
                }
            }
        }

        private void tile(final int a0, final int b0, final int count, final MemorySegment sums)
        {
            ShortVector re00 = ShortVector.zero(SPECIES);
            ShortVector re01 = re00, re10 = re00, re11 = re00, re20 = re00, re21 = re00, re30 = re00, re31 = re00;
            ShortVector im00 = re00, im01 = re00, im10 = re00, im11 = re00, im20 = re00, im21 = re00, im30 = re00;
            ShortVector im31 = re00;
            final int bBase = (b0 / WIDTH) * CHUNK * WIDTH;
            final int a = a0 * CHUNK;
            for (int t = 0; t < count; t++)
            {
                final int at = bBase + t * WIDTH;
                final ShortVector rb0 = ShortVector.fromArray(SPECIES, reB, at);
                final ShortVector rb1 = ShortVector.fromArray(SPECIES, reB, at + LANES);
                final ShortVector ib0 = ShortVector.fromArray(SPECIES, imB, at);
                final ShortVector ib1 = ShortVector.fromArray(SPECIES, imB, at + LANES);
                short ra = reA[a + t];
                short ia = imA[a + t];
                re00 = re00.add(rb0.mul(ra)).add(ib0.mul(ia));
                re01 = re01.add(rb1.mul(ra)).add(ib1.mul(ia));
                im00 = im00.add(rb0.mul(ia)).sub(ib0.mul(ra));
                im01 = im01.add(rb1.mul(ia)).sub(ib1.mul(ra));
                ra = reA[a + CHUNK + t];
                ia = imA[a + CHUNK + t];
                re10 = re10.add(rb0.mul(ra)).add(ib0.mul(ia));
                re11 = re11.add(rb1.mul(ra)).add(ib1.mul(ia));
                im10 = im10.add(rb0.mul(ia)).sub(ib0.mul(ra));
                im11 = im11.add(rb1.mul(ia)).sub(ib1.mul(ra));
                ra = reA[a + 2 * CHUNK + t];
                ia = imA[a + 2 * CHUNK + t];
                re20 = re20.add(rb0.mul(ra)).add(ib0.mul(ia));
                re21 = re21.add(rb1.mul(ra)).add(ib1.mul(ia));
                im20 = im20.add(rb0.mul(ia)).sub(ib0.mul(ra));
                im21 = im21.add(rb1.mul(ia)).sub(ib1.mul(ra));
                ra = reA[a + 3 * CHUNK + t];
                ia = imA[a + 3 * CHUNK + t];
                re30 = re30.add(rb0.mul(ra)).add(ib0.mul(ia));
                re31 = re31.add(rb1.mul(ra)).add(ib1.mul(ia));
                im30 = im30.add(rb0.mul(ia)).sub(ib0.mul(ra));
                im31 = im31.add(rb1.mul(ia)).sub(ib1.mul(ra));
            }
            store(0, re00, re01, im00, im01);
            store(1, re10, re11, im10, im11);
            store(2, re20, re21, im20, im21);
            store(3, re30, re31, im30, im31);
            for (int r = 0; r < ROWS; r++)
            {
                flush(a0 + r, b0, r, sums);
            }
        }

        private void store(final int row, final ShortVector re0, final ShortVector re1, final ShortVector im0,
            final ShortVector im1)
        {
            re0.intoArray(flushRe[row], 0);
            re1.intoArray(flushRe[row], LANES);
            im0.intoArray(flushIm[row], 0);
            im1.intoArray(flushIm[row], LANES);
        }

        /** Adds one tile row to the int64 sums, keeping {@code a <= b < n}. */
        private void flush(final int a, final int b0, final int row, final MemorySegment sums)
        {
            if (a >= n)
            {
                return;
            }
            final long rowStart = (long)a * n - (long)a * (a - 1) / 2 - a;
            final short[] re = flushRe[row];
            final short[] im = flushIm[row];
            for (int l = Math.max(0, a - b0); l < WIDTH && b0 + l < n; l++)
            {
                final long at = (rowStart + b0 + l) * 16;
                sums.set(JAVA_LONG_UNALIGNED, at, sums.get(JAVA_LONG_UNALIGNED, at) + re[l]);
                sums.set(JAVA_LONG_UNALIGNED, at + 8, sums.get(JAVA_LONG_UNALIGNED, at + 8) + im[l]);
            }
        }

        @Override
        public void close()
        {
        }
    }
}
