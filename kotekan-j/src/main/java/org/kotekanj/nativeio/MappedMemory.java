package org.kotekanj.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Off-heap memory mapped directly with {@code mmap}, so that huge-page advice and NUMA binding happen before the first
 * touch ({@link Arena#allocate} zero-fills at once, which is too early for {@code madvise}). Sizes above 2 GiB are
 * fine: the segment is addressed with {@code long} offsets.
 */
public final class MappedMemory implements AutoCloseable
{
    private static final long SMALL_PAGE = 4096;
    private static final long HUGE_PAGE = 2L << 20;

    private final long address;
    private final long mappedLength;
    private final MemorySegment segment;
    private final PageBacking backing;
    private boolean closed;

    private MappedMemory(final long address, final long mappedLength, final long length, final PageBacking backing)
    {
        this.address = address;
        this.mappedLength = mappedLength;
        this.segment = MemorySegment.ofAddress(address).reinterpret(length);
        this.backing = backing;
    }

    /**
     * Maps, advises, binds and pre-faults {@code length} bytes.
     *
     * @param numaNode the node to bind to, or -1 for the kernel's default policy.
     */
    public static MappedMemory map(final long length, final HugePages hugePages, final int numaNode)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        final long mapped = hugePages == HugePages.OFF ? roundUp(length, SMALL_PAGE) : roundUp(length, HUGE_PAGE);
        final long address;
        if (hugePages == HugePages.REQUIRED)
        {
            try
            {
                address = Libc.mmapAnonymous(mapped, Libc.MAP_HUGETLB | (21 << Libc.MAP_HUGE_SHIFT));
            }
            catch (final NativeException e)
            {
                throw new NativeException(e.getMessage() + "; " + HugePageStatus.requiredMessage(mapped / HUGE_PAGE),
                    e.errno());
            }
        }
        else
        {
            address = Libc.mmapAnonymous(mapped, Libc.MAP_NORESERVE);
            Libc.madvise(address, mapped, hugePages == HugePages.AUTO ? Libc.MADV_HUGEPAGE : Libc.MADV_NOHUGEPAGE);
        }
        if (numaNode >= 0)
        {
            try
            {
                Libc.mbind(address, mapped, numaNode);
            }
            catch (final NativeException e)
            {
                Libc.munmap(address, mapped);
                throw e;
            }
        }
        prefault(address, mapped, hugePages == HugePages.REQUIRED ? HUGE_PAGE : SMALL_PAGE);
        return new MappedMemory(address, mapped, length, PageBacking.of(address, mapped));
    }

    private static void prefault(final long address, final long length, final long stride)
    {
        final MemorySegment all = MemorySegment.ofAddress(address).reinterpret(length);
        for (long offset = 0; offset < length; offset += stride)
        {
            all.set(JAVA_BYTE, offset, (byte)0);
        }
    }

    /** The 2 MiB pages a {@code hugepages: required} mapping of {@code length} bytes takes from the pool. */
    public static long hugePagesFor(final long length)
    {
        return Math.ceilDiv(length, HUGE_PAGE);
    }

    private static long roundUp(final long value, final long multiple)
    {
        return (value + multiple - 1) / multiple * multiple;
    }

    public MemorySegment segment()
    {
        return segment;
    }

    public long address()
    {
        return address;
    }

    public long length()
    {
        return segment.byteSize();
    }

    /** What the kernel actually backs this mapping with, read from {@code /proc/self/smaps} after pre-faulting. */
    public PageBacking backing()
    {
        return backing;
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            Libc.munmap(address, mappedLength);
        }
    }
}
