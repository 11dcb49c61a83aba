package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.kotekanj.baseband.hdf5.Hdf5File;

/**
 * Writes a contiguous HDF5 dataset's bytes at its file offset, beside libhdf5 (which writes only the metadata): the
 * page-aligned part of each chunk with {@code O_DIRECT} straight from staging (no copy into the page cache, so the
 * commit's fsync has little left to do, and the writer thread spends almost no CPU on 2 shared cores), an unaligned
 * rest through the page cache. Where the file system refuses {@code O_DIRECT} (tmpfs), everything goes through the
 * page cache. HDF5 never touches these bytes: the dataset is allocated early with no fill.
 */
final class DatasetWriter implements AutoCloseable
{
    private static final long ALIGN = Hdf5File.ALIGNMENT;

    private final FileChannel buffered;
    private final FileChannel direct;
    private final long offset;
    private final long size;

    DatasetWriter(final Path file, final long offset, final long size) throws IOException
    {
        this.offset = offset;
        this.size = size;
        this.buffered = FileChannel.open(file, StandardOpenOption.WRITE);
        FileChannel d = null;
        if (offset % ALIGN == 0)
        {
            try
            {
                d = FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            }
            catch (final IOException | UnsupportedOperationException e)
            {
                d = null;
            }
        }
        this.direct = d;
    }

    /** Where the dataset's bytes start in the file. */
    long offset()
    {
        return offset;
    }

    /** Writes {@code source} at byte {@code at} of the dataset. */
    void write(final MemorySegment source, final long at) throws IOException
    {
        final long length = source.byteSize();
        if (at < 0 || at + length > size)
        {
            throw new IllegalArgumentException("bytes " + at + "+" + length + " outside a dataset of " + size);
        }
        final long position = offset + at;
        long done = 0;
        if (direct != null && position % ALIGN == 0 && source.address() % ALIGN == 0 && length >= ALIGN)
        {
            done = length / ALIGN * ALIGN;
            writeFully(direct, source.asSlice(0, done), position);
        }
        if (done < length)
        {
            writeFully(buffered, source.asSlice(done), position + done);
        }
    }

    private static void writeFully(final FileChannel channel, final MemorySegment bytes, final long position)
        throws IOException
    {
        final ByteBuffer buffer = bytes.asByteBuffer();
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }

    @Override
    public void close() throws IOException
    {
        try (FileChannel b = buffered; FileChannel d = direct)
        {
            // closes both
        }
    }
}
