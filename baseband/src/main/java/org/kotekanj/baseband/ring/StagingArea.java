package org.kotekanj.baseband.ring;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;

/**
 * The bounded off-heap area a dump is copied into out of the ring, before the writer drains it to disk: a byte ring
 * with one allocating thread (the copier) and releases from any thread, in any order (the writer releases a chunk
 * once written; a file hashed from memory keeps its chunks until its commit's SHA-256 has read them). Space is reused
 * in allocation order, once everything allocated before it is released too. Bounded, so a slow disk makes dumps wait
 * for staging (and, if the ring overtakes them, lose samples) but never grows memory or touches ingest.
 */
public final class StagingArea implements AutoCloseable
{
    /** A slice handed out by {@link #allocate}: release it with {@link #free}, once. */
    public static final class Slice
    {
        private final MemorySegment segment;
        private final long end;
        private volatile boolean released;

        Slice(final MemorySegment segment, final long end)
        {
            this.segment = segment;
            this.end = end;
        }

        public MemorySegment segment()
        {
            return segment;
        }

        /** The area's position just past this slice. */
        public long end()
        {
            return end;
        }
    }

    private final long capacity;
    /** Slices allocated and not yet reclaimed, oldest first (the copier appends; releasing threads reclaim). */
    private final ConcurrentLinkedQueue<Slice> live = new ConcurrentLinkedQueue<>();
    private MappedMemory memory;
    private volatile long head;
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

    /** Bytes not reusable yet: allocated and not released, or released behind an older slice still held. */
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
        if (head == tail)
        {
            restartEmpty();
        }
        final long reclaimed = tail;
        long start = (head + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        final long offset = start % capacity;
        if (offset + bytes > capacity)
        {
            start += capacity - offset;
        }
        if (start + bytes - reclaimed > capacity)
        {
            return null;
        }
        final Slice slice = new Slice(memory.segment().asSlice(start % capacity, bytes), start + bytes);
        live.add(slice);
        head = start + bytes;
        return slice;
    }

    /**
     * Nothing is held: the next slice starts at the area's beginning, page-aligned and with the whole area before it.
     * (An empty area used to take its next slice where the last one ended, unaligned after slices of odd sizes: the
     * first chunk of every dump then missed O_DIRECT and went through the page cache.)
     */
    private void restartEmpty()
    {
        synchronized (live)
        {
            if (live.isEmpty())
            {
                final long restart = (head + capacity - 1) / capacity * capacity;
                tail = restart;
                head = restart;
            }
        }
    }

    /**
     * Releases {@code slice} (any thread); its space, and that of later slices already released, is reused once every
     * older slice is released too.
     */
    public void free(final Slice slice)
    {
        if (slice.released)
        {
            return;
        }
        slice.released = true;
        synchronized (live)
        {
            Slice oldest;
            while ((oldest = live.peek()) != null && oldest.released)
            {
                live.poll();
                tail = oldest.end;
            }
        }
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
