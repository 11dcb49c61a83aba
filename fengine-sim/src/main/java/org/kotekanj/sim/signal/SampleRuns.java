package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Writes runs of sample bytes eight at a time without slicing (a slice per packet run would allocate). */
final class SampleRuns
{
    /** Little-endian so that byte k of a long is sample k on every platform. */
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SampleRuns()
    {
    }

    /** Fills {@code count} bytes at {@code offset} with {@code value}. */
    static void fill(final MemorySegment dst, final long offset, final int count, final byte value)
    {
        final long word = (value & 0xFFL) * 0x0101_0101_0101_0101L;
        int n = 0;
        for (; n + 8 <= count; n += 8)
        {
            dst.set(LONG_LE, offset + n, word);
        }
        for (; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, value);
        }
    }

    /** Copies {@code count} bytes of a heap table from {@code from} to {@code dst} at {@code offset}. */
    static void copy(final MemorySegment table, final long from, final MemorySegment dst, final long offset,
        final int count)
    {
        int n = 0;
        for (; n + 8 <= count; n += 8)
        {
            dst.set(LONG_LE, offset + n, table.get(LONG_LE, from + n));
        }
        for (; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, table.get(JAVA_BYTE, from + n));
        }
    }
}
