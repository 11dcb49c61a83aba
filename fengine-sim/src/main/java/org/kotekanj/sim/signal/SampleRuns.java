package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Writes runs of sample bytes eight at a time without slicing (a slice per packet run would allocate). */
final class SampleRuns
{
    /** Little-endian so that byte k of a long is sample k on every platform. */
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Eight bytes of a heap table at any index, in the same order. */
    static final VarHandle TABLE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    /**
     * Copies {@code count} bytes of a table from {@code from} to {@code dst} at {@code offset}, 64 bytes per step
     * where it can: written out, because the JIT does not unroll a loop of segment stores by itself.
     */
    static void copy(final byte[] table, final int from, final MemorySegment dst, final long offset, final int count)
    {
        int n = 0;
        for (; n + 64 <= count; n += 64)
        {
            final int at = from + n;
            final long to = offset + n;
            dst.set(LONG_LE, to, (long)TABLE_LONGS.get(table, at));
            dst.set(LONG_LE, to + 8, (long)TABLE_LONGS.get(table, at + 8));
            dst.set(LONG_LE, to + 16, (long)TABLE_LONGS.get(table, at + 16));
            dst.set(LONG_LE, to + 24, (long)TABLE_LONGS.get(table, at + 24));
            dst.set(LONG_LE, to + 32, (long)TABLE_LONGS.get(table, at + 32));
            dst.set(LONG_LE, to + 40, (long)TABLE_LONGS.get(table, at + 40));
            dst.set(LONG_LE, to + 48, (long)TABLE_LONGS.get(table, at + 48));
            dst.set(LONG_LE, to + 56, (long)TABLE_LONGS.get(table, at + 56));
        }
        for (; n + 8 <= count; n += 8)
        {
            dst.set(LONG_LE, offset + n, (long)TABLE_LONGS.get(table, from + n));
        }
        for (; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, table[from + n]);
        }
    }
}
