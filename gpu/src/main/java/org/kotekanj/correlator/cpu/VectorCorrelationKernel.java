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
 * ({@code [b block][time][lanes]}) and inputs a as scalars ({@code [a][time]}). A register tile is 4 inputs a by one
 * vector of inputs b, re and im (8 accumulators); per time sample it loads 2 vectors of b and multiplies them by
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
    private static final int WIDTH = LANES;

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
        public void accumulate(final MemorySegment samples, final long offset, final long stride, final int numTime,
            final MemorySegment sums, final long sumsOffset, final int firstBlock, final int blockStep)
        {
            if (numTime > 0 && offset + (long)(numTime - 1) * stride + n > samples.byteSize() ||
                sumsOffset + 16 * ((long)n * (n + 1) / 2) > sums.byteSize())
            {
                throw new IndexOutOfBoundsException("samples or sums too small for " + n + " inputs x " + numTime +
                    " samples");
            }
            for (int t0 = 0; t0 < numTime; t0 += CHUNK)
            {
                final int count = Math.min(CHUNK, numTime - t0);
                unpack(samples, offset, stride, t0, count);
                for (int block = firstBlock; block < rows / ROWS; block += blockStep)
                {
                    final int a0 = block * ROWS;
                    for (int b0 = a0 / WIDTH * WIDTH; b0 < n; b0 += WIDTH)
                    {
                        tile(a0, b0, count, sums, sumsOffset);
                    }
                }
            }
        }

        /** Unpacks {@code count} samples into int16 parts; padding inputs and absent samples are zero. */
        private void unpack(final MemorySegment samples, final long offset, final long stride, final int t0,
            final int count)
        {
            java.util.Arrays.fill(reA, (short)0);
            java.util.Arrays.fill(imA, (short)0);
            java.util.Arrays.fill(reB, (short)0);
            java.util.Arrays.fill(imB, (short)0);
            for (int t = 0; t < count; t++)
            {
                final long row = offset + (t0 + t) * stride;
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

        private void tile(final int a0, final int b0, final int count, final MemorySegment sums,
            final long sumsOffset)
        {
            ShortVector re0 = ShortVector.zero(SPECIES);
            ShortVector re1 = re0, re2 = re0, re3 = re0, im0 = re0, im1 = re0, im2 = re0, im3 = re0;
            final int bBase = (b0 / WIDTH) * CHUNK * WIDTH;
            final int a = a0 * CHUNK;
            for (int t = 0; t < count; t++)
            {
                final ShortVector rb = ShortVector.fromArray(SPECIES, reB, bBase + t * WIDTH);
                final ShortVector ib = ShortVector.fromArray(SPECIES, imB, bBase + t * WIDTH);
                short ra = reA[a + t];
                short ia = imA[a + t];
                re0 = re0.add(rb.mul(ra)).add(ib.mul(ia));
                im0 = im0.add(rb.mul(ia)).sub(ib.mul(ra));
                ra = reA[a + CHUNK + t];
                ia = imA[a + CHUNK + t];
                re1 = re1.add(rb.mul(ra)).add(ib.mul(ia));
                im1 = im1.add(rb.mul(ia)).sub(ib.mul(ra));
                ra = reA[a + 2 * CHUNK + t];
                ia = imA[a + 2 * CHUNK + t];
                re2 = re2.add(rb.mul(ra)).add(ib.mul(ia));
                im2 = im2.add(rb.mul(ia)).sub(ib.mul(ra));
                ra = reA[a + 3 * CHUNK + t];
                ia = imA[a + 3 * CHUNK + t];
                re3 = re3.add(rb.mul(ra)).add(ib.mul(ia));
                im3 = im3.add(rb.mul(ia)).sub(ib.mul(ra));
            }
            re0.intoArray(flushRe[0], 0);
            im0.intoArray(flushIm[0], 0);
            re1.intoArray(flushRe[1], 0);
            im1.intoArray(flushIm[1], 0);
            re2.intoArray(flushRe[2], 0);
            im2.intoArray(flushIm[2], 0);
            re3.intoArray(flushRe[3], 0);
            im3.intoArray(flushIm[3], 0);
            for (int r = 0; r < ROWS; r++)
            {
                flush(a0 + r, b0, r, sums, sumsOffset);
            }
        }

        /** Adds one tile row to the int64 sums, keeping {@code a <= b < n}. */
        private void flush(final int a, final int b0, final int row, final MemorySegment sums,
            final long sumsOffset)
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
                final long at = sumsOffset + (rowStart + b0 + l) * 16;
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
