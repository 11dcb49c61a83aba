package org.kotekanj.baseband.ring;

import java.lang.foreign.MemorySegment;

import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;

/**
 * The bounded off-heap area a dump is copied into out of the ring, before the writer drains it to disk: a byte ring
 * with one allocating thread (the copier) and one freeing thread (the writer), freed in allocation order. Bounded,
 * so a slow disk makes dumps wait for staging (and, if the ring overtakes them, lose samples) but never grows memory
 * or touches ingest.
 */
public final class StagingArea implements AutoCloseable
{
    /** A slice handed out by {@link #allocate}: free it with {@link #free} in allocation order. */
    public record Slice(MemorySegment segment, long end)
    {
    }

    private final long capacity;
    private MappedMemory memory;
    private long head;
    private volatile long tail;

    /** Memory is mapped by {@link #open}, so that a config check builds this without touching RAM. */
    public StagingArea(final long capacity)
    {
        this.capacity = capacity;
    }

    public void open()
    {
        memory = MappedMemory.map(capacity, HugePages.AUTO, -1);
    }

    public long capacity()
    {
        return capacity;
    }

    /** Bytes allocated and not yet freed. */
    public long used()
    {
        return head - tail;
    }

    /** Slices start at multiples of this (a page), so that their bytes can be written with O_DIRECT. */
    public static final long ALIGNMENT = 4096;

    /**
     * A contiguous slice of {@code bytes} starting on a page boundary, or {@code null} if there is no room yet
     * (copier thread).
     */
    public Slice allocate(final long bytes)
    {
        if (bytes <= 0 || bytes > capacity)
        {
            throw new IllegalArgumentException("cannot stage " + bytes + " bytes in " + capacity);
        }
        // An empty area takes any size it can hold unaligned rather than never (alignment only saves a copy).
        long start = head == tail ? head : (head + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        final long offset = start % capacity;
        if (offset + bytes > capacity)
        {
            start += capacity - offset;
        }
        if (start + bytes - tail > capacity)
        {
            return null;
        }
        head = start + bytes;
        return new Slice(memory.segment().asSlice(start % capacity, bytes), head);
    }

    /** Frees everything up to and including {@code slice} (writer thread). */
    public void free(final Slice slice)
    {
        tail = slice.end();
    }

    @Override
    public void close()
    {
        if (memory != null)
        {
            memory.close();
            memory = null;
        }
    }
}
