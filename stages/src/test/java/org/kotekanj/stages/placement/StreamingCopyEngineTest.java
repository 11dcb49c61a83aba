package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StreamingCopyEngineTest
{
    @Test
    void shouldChooseTheWidestStreamingStoresThisCpuHas() throws Exception
    {
        final StreamingCopyEngine engine = StreamingCopyEngine.load();
        assumeTrue(engine != null, "native copy helper not built here");
        final String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("flags")).findFirst().orElse("");
        final int expected = flags.contains(" avx512f") ? 512 : flags.contains(" avx2") ? 256 : 128;
        assertEquals(expected, engine.vectorBits());
    }

    @Test
    void shouldCopyEveryLengthAndAlignmentLikeTheJavaEngine()
    {
        final StreamingCopyEngine engine = StreamingCopyEngine.load();
        assumeTrue(engine != null, "native copy helper not built here");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment src = arena.allocate(1 << 16, 64);
            final MemorySegment viaNative = arena.allocate(1 << 20, 64);
            final MemorySegment viaJava = arena.allocate(1 << 20, 64);
            final Random random = new Random(7);
            for (long i = 0; i < src.byteSize(); i++)
            {
                src.set(JAVA_BYTE, i, (byte)random.nextInt());
            }
            final CopyQueue streamed = new CopyQueue(256, engine);
            final CopyQueue plain = new CopyQueue(256, new JavaCopyEngine());
            long dst = 0;
            for (int n = 0; n < 2000; n++)
            {
                // Runs of every size up to 2 KiB, destinations aligned to 64, 32, 16 or nothing.
                final int length = 1 + random.nextInt(2048);
                final int align = new int[] {64, 32, 16, 1}[random.nextInt(4)];
                dst = (dst + align - 1) / align * align + (align == 1 ? random.nextInt(64) : 0);
                if (dst + length > viaNative.byteSize())
                {
                    dst = 0;
                }
                final long from = random.nextInt((int)src.byteSize() - length);
                streamed.add(src.address() + from, viaNative.address() + dst, length);
                plain.add(src.address() + from, viaJava.address() + dst, length);
                dst += length;
            }
            streamed.flush();
            plain.flush();
            assertArrayEquals(viaJava.toArray(JAVA_BYTE), viaNative.toArray(JAVA_BYTE));
        }
    }

    @Test
    void shouldCopyEveryRunOfAGridEntryLikeTheJavaEngine()
    {
        final StreamingCopyEngine engine = StreamingCopyEngine.load();
        assumeTrue(engine != null, "native copy helper not built here");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment src = arena.allocate(1 << 16, 64);
            final MemorySegment viaNative = arena.allocate(1 << 22, 64);
            final MemorySegment viaJava = arena.allocate(1 << 22, 64);
            final Random random = new Random(11);
            for (long i = 0; i < src.byteSize(); i++)
            {
                src.set(JAVA_BYTE, i, (byte)random.nextInt());
            }
            // Copied ahead every 3 entries (and when full) natively, in whole batches in Java.
            final CopyQueue streamed = new CopyQueue(16, engine, 3);
            final CopyQueue plain = new CopyQueue(16, new JavaCopyEngine(), 16);
            for (int n = 0; n < 500; n++)
            {
                // A packet-like grid: rows x runs of one length, contiguous or repeated source, destinations apart by
                // run and row strides (a multiple of the length or not, so alignments vary), forwards or backwards.
                final int length = 1 + random.nextInt(600);
                final int runs = 1 + random.nextInt(4);
                final int rows = 1 + random.nextInt(4);
                final long srcStride = random.nextBoolean() ? length : 0;
                final long runStride = (length + random.nextInt(3) * 64L + random.nextInt(2) * random.nextInt(64)) *
                    (random.nextBoolean() ? 1 : -1);
                final long rowStride = runs * Math.abs(runStride) + random.nextInt(4) * 16L + length;
                final long span = rowStride * rows;
                final long dst = (runStride < 0 ? (runs - 1) * -runStride : 0) +
                    random.nextInt((int)(viaNative.byteSize() - span - runs * Math.abs(runStride)));
                final long from = random.nextInt((int)(src.byteSize() - (long)runs * rows * length));
                streamed.addRuns(src.address() + from, srcStride, viaNative.address() + dst, length, runs, runStride,
                    rows, rowStride);
                plain.addRuns(src.address() + from, srcStride, viaJava.address() + dst, length, runs, runStride, rows,
                    rowStride);
            }
            streamed.flush();
            plain.flush();
            assertArrayEquals(viaJava.toArray(JAVA_BYTE), viaNative.toArray(JAVA_BYTE));
        }
    }

    @Test
    void shouldCopyTheReferenceLoopLikeTheQueue()
    {
        final StreamingCopyEngine engine = StreamingCopyEngine.load();
        assumeTrue(engine != null, "native copy helper not built here");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment src = arena.allocate(4 * 4928L, 64);
            for (long i = 0; i < src.byteSize(); i++)
            {
                src.set(JAVA_BYTE, i, (byte)(i * 31));
            }
            final MemorySegment ring = arena.allocate(1 << 16, 64);
            final long next = engine.referenceRuns(src.address() + 16, 4928, ring.address(), ring.byteSize() - 1, 0,
                4, 4096, 512);
            assertEquals(4 * 4096, next);
            for (int p = 0; p < 4; p++)
            {
                assertArrayEquals(src.asSlice(16 + p * 4928L, 4096).toArray(JAVA_BYTE),
                    ring.asSlice(p * 4096L, 4096).toArray(JAVA_BYTE));
            }
        }
    }
}
