package org.kotekanj.baseband.hdf5;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One HDF5 file being written through {@link Hdf5Library}: fixed-size datasets written in row slabs (hyperslabs)
 * from off-heap memory, scalar and string attributes. Not thread-safe: one thread at a time uses it (the file may pass
 * from the thread that created it to the one that closes it, so its memory is a shared arena). Every failed call
 * throws an {@link IOException} naming the call and the file (a full disk shows up here).
 */
public final class Hdf5File implements AutoCloseable
{
    /** A dataset of the open file. */
    public record Dataset(long id, long rows, long columns, int elementBytes)
    {
    }

    private final Hdf5Library lib;
    private final Path path;
    private final Arena arena = Arena.ofShared();
    private final java.util.List<Dataset> open = new java.util.ArrayList<>();
    private long file;

    private Hdf5File(final Hdf5Library lib, final Path path, final long file)
    {
        this.lib = lib;
        this.path = path;
        this.file = file;
    }

    /** File offsets of objects of at least 1 MiB are multiples of this, so that O_DIRECT can write their data. */
    public static final long ALIGNMENT = 4096;

    /** Creates (truncates) {@code path}. */
    public static Hdf5File create(final Path path) throws IOException
    {
        final Hdf5Library lib = Hdf5Library.get();
        try (Arena scratch = Arena.ofConfined())
        {
            final long fapl = call(lib.pcreate, path, "H5Pcreate", lib.fileAccessClass);
            try
            {
                call(lib.psetAlignment, path, "H5Pset_alignment", fapl, 1L << 20, ALIGNMENT);
                final long id = call(lib.fcreate, path, "H5Fcreate", scratch.allocateFrom(path.toString()),
                    Hdf5Library.H5F_ACC_TRUNC, Hdf5Library.H5P_DEFAULT, fapl);
                return new Hdf5File(lib, path, id);
            }
            finally
            {
                invokeInt(lib.pclose, fapl);
            }
        }
    }

    /**
     * A uint8 dataset {@code [rows][columns]} stored contiguously and allocated now (no fill written), so that its
     * bytes can be written at {@link #offset} without HDF5 (one large write per chunk, O_DIRECT where aligned).
     */
    public Dataset createContiguousUint8(final String name, final long rows, final long columns) throws IOException
    {
        final long dcpl = check("H5Pcreate", invoke(lib.pcreate, lib.datasetCreateClass));
        final long space = simpleSpace(rows, columns);
        try
        {
            check("H5Pset_layout", invokeInt(lib.psetLayout, dcpl, Hdf5Library.H5D_CONTIGUOUS));
            check("H5Pset_alloc_time", invokeInt(lib.psetAllocTime, dcpl, Hdf5Library.H5D_ALLOC_TIME_EARLY));
            check("H5Pset_fill_time", invokeInt(lib.psetFillTime, dcpl, Hdf5Library.H5D_FILL_TIME_NEVER));
            final long id = check("H5Dcreate2", invoke(lib.dcreate2, file, arena.allocateFrom(name), lib.stdU8,
                space, Hdf5Library.H5P_DEFAULT, dcpl, Hdf5Library.H5P_DEFAULT));
            final Dataset dataset = new Dataset(id, rows, columns, 1);
            open.add(dataset);
            return dataset;
        }
        finally
        {
            closeSpace(space);
            invokeInt(lib.pclose, dcpl);
        }
    }

    /** Where a contiguous, allocated dataset's bytes start in the file, or -1 if it has no storage. */
    public long offset(final Dataset dataset)
    {
        final long at = invoke(lib.dgetOffset, dataset.id());
        return at == Hdf5Library.HADDR_UNDEF ? -1 : at;
    }

    /** A uint8 dataset {@code [rows][columns]} (or {@code [rows]} when {@code columns} is 0). */
    public Dataset createUint8(final String name, final long rows, final long columns) throws IOException
    {
        return create(name, lib.stdU8, rows, columns, 1);
    }

    /** A uint16 dataset {@code [n]} written at once. */
    public void writeUint16(final String name, final short[] values) throws IOException
    {
        final Dataset d = create(name, lib.stdU16, values.length, 0, 2);
        final MemorySegment buf = arena.allocate(Math.max(2, 2L * values.length), 8);
        for (int i = 0; i < values.length; i++)
        {
            buf.setAtIndex(JAVA_SHORT, i, values[i]);
        }
        write(d, lib.stdU16, buf);
        closeDataset(d);
    }

    /** A fixed-length string dataset {@code [n]} written at once. */
    public void writeStrings(final String name, final String[] values) throws IOException
    {
        final int width = width(values);
        final long type = stringType(width);
        try
        {
            final long space = simpleSpace(values.length, 0);
            final long id = check("H5Dcreate2", invoke(lib.dcreate2, file, arena.allocateFrom(name), type, space,
                Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT));
            closeSpace(space);
            final MemorySegment buf = packStrings(values, width);
            check("H5Dwrite", invokeInt(lib.dwrite, id, type, Hdf5Library.H5S_ALL, Hdf5Library.H5S_ALL,
                Hdf5Library.H5P_DEFAULT, buf));
            check("H5Dclose", invokeInt(lib.dclose, id));
        }
        finally
        {
            closeType(type);
        }
    }

    public void createGroup(final String name) throws IOException
    {
        final long group = check("H5Gcreate2", invoke(lib.gcreate2, file, arena.allocateFrom(name),
            Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT));
        check("H5Gclose", invokeInt(lib.gclose, group));
    }

    /**
     * Writes rows {@code [firstRow, firstRow + rows)} of {@code dataset} from {@code source} (row-major, tightly
     * packed), straight from off-heap memory.
     */
    public void writeRows(final Dataset dataset, final long firstRow, final long rows, final MemorySegment source)
        throws IOException
    {
        if (rows == 0)
        {
            return;
        }
        final int rank = dataset.columns() == 0 ? 1 : 2;
        if (firstRow < 0 || rows < 0 || firstRow + rows > dataset.rows() ||
            source.byteSize() < rows * Math.max(1, dataset.columns()) * dataset.elementBytes())
        {
            throw new IllegalArgumentException("rows " + firstRow + "+" + rows + " outside dataset of " +
                dataset.rows() + " rows or source too small");
        }
        try (Arena scratch = Arena.ofConfined())
        {
            final MemorySegment start = scratch.allocate(JAVA_LONG, 2);
            final MemorySegment count = scratch.allocate(JAVA_LONG, 2);
            start.setAtIndex(JAVA_LONG, 0, firstRow);
            count.setAtIndex(JAVA_LONG, 0, rows);
            count.setAtIndex(JAVA_LONG, 1, dataset.columns());
            final long fileSpace = check("H5Dget_space", invoke(lib.dgetSpace, dataset.id()));
            final long memSpace = check("H5Screate_simple", invoke(lib.screateSimple, rank, count, MemorySegment.NULL));
            try
            {
                check("H5Sselect_hyperslab", invokeInt(lib.sselectHyperslab, fileSpace, Hdf5Library.H5S_SELECT_SET,
                    start, MemorySegment.NULL, count, MemorySegment.NULL));
                check("H5Dwrite", invokeInt(lib.dwrite, dataset.id(), lib.nativeUint8, memSpace, fileSpace,
                    Hdf5Library.H5P_DEFAULT, source));
            }
            finally
            {
                closeSpace(memSpace);
                closeSpace(fileSpace);
            }
        }
    }

    public void closeDataset(final Dataset dataset) throws IOException
    {
        if (open.remove(dataset))
        {
            check("H5Dclose", invokeInt(lib.dclose, dataset.id()));
        }
    }

    public void attribute(final String name, final long value) throws IOException
    {
        final MemorySegment buf = arena.allocate(JAVA_LONG);
        buf.set(JAVA_LONG, 0, value);
        scalarAttribute(file, name, lib.stdI64, buf);
    }

    public void attribute(final String name, final double value) throws IOException
    {
        final MemorySegment buf = arena.allocate(JAVA_DOUBLE);
        buf.set(JAVA_DOUBLE, 0, value);
        scalarAttribute(file, name, lib.ieeeF64, buf);
    }

    public void attribute(final String name, final String value) throws IOException
    {
        final int width = width(new String[] {value});
        final long type = stringType(width);
        try
        {
            scalarAttribute(file, name, type, packStrings(new String[] {value}, width));
        }
        finally
        {
            closeType(type);
        }
    }

    /** A fixed-length string array attribute on a dataset (e.g. {@code axis = ["time", "input"]}). */
    public void attribute(final Dataset dataset, final String name, final String[] values) throws IOException
    {
        final int width = width(values);
        final long type = stringType(width);
        final long space = simpleSpace(values.length, 0);
        try
        {
            final long attr = check("H5Acreate2", invoke(lib.acreate2, dataset.id(), arena.allocateFrom(name), type,
                space, Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT));
            check("H5Awrite", invokeInt(lib.awrite, attr, type, packStrings(values, width)));
            check("H5Aclose", invokeInt(lib.aclose, attr));
        }
        finally
        {
            closeSpace(space);
            closeType(type);
        }
    }

    /** Closes the file; everything is written to the OS when this returns (fsync is the caller's). */
    @Override
    public void close() throws IOException
    {
        if (file >= 0)
        {
            final long id = file;
            file = -1;
            try
            {
                // A file with open datasets would only close when they do (HDF5's weak close degree).
                for (final Dataset dataset : java.util.List.copyOf(open))
                {
                    open.remove(dataset);
                    invokeInt(lib.dclose, dataset.id());
                }
                check("H5Fclose", invokeInt(lib.fclose, id));
            }
            finally
            {
                arena.close();
            }
        }
    }

    private Dataset create(final String name, final long type, final long rows, final long columns,
        final int elementBytes) throws IOException
    {
        final long space = simpleSpace(rows, columns);
        try
        {
            final long id = check("H5Dcreate2", invoke(lib.dcreate2, file, arena.allocateFrom(name), type, space,
                Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT));
            final Dataset dataset = new Dataset(id, rows, columns, elementBytes);
            open.add(dataset);
            return dataset;
        }
        finally
        {
            closeSpace(space);
        }
    }

    private void write(final Dataset d, final long memType, final MemorySegment buf)
        throws IOException
    {
        check("H5Dwrite", invokeInt(lib.dwrite, d.id(), memType, Hdf5Library.H5S_ALL, Hdf5Library.H5S_ALL,
            Hdf5Library.H5P_DEFAULT, buf));
    }

    private void scalarAttribute(final long owner, final String name, final long type, final MemorySegment value)
        throws IOException
    {
        final long space = check("H5Screate", invokeInt(lib.screate, Hdf5Library.H5S_SCALAR));
        try
        {
            final long attr = check("H5Acreate2", invoke(lib.acreate2, owner, arena.allocateFrom(name), type, space,
                Hdf5Library.H5P_DEFAULT, Hdf5Library.H5P_DEFAULT));
            check("H5Awrite", invokeInt(lib.awrite, attr, type, value));
            check("H5Aclose", invokeInt(lib.aclose, attr));
        }
        finally
        {
            closeSpace(space);
        }
    }

    private long simpleSpace(final long rows, final long columns) throws IOException
    {
        final MemorySegment dims = arena.allocate(JAVA_LONG, 2);
        dims.setAtIndex(JAVA_LONG, 0, rows);
        dims.setAtIndex(JAVA_LONG, 1, columns);
        return check("H5Screate_simple", invoke(lib.screateSimple, columns == 0 ? 1 : 2, dims, MemorySegment.NULL));
    }

    private long stringType(final int width) throws IOException
    {
        final long type = check("H5Tcopy", invoke(lib.tcopy, lib.cS1));
        check("H5Tset_size", invokeInt(lib.tsetSize, type, (long)width));
        return type;
    }

    private void closeType(final long type) throws IOException
    {
        check("H5Tclose", invokeInt(lib.tclose, type));
    }

    private void closeSpace(final long space) throws IOException
    {
        check("H5Sclose", invokeInt(lib.sclose, space));
    }

    private MemorySegment packStrings(final String[] values, final int width)
    {
        final MemorySegment buf = arena.allocate((long)width * Math.max(1, values.length));
        for (int i = 0; i < values.length; i++)
        {
            final byte[] bytes = values[i].getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, (long)i * width, bytes.length);
        }
        return buf;
    }

    private static int width(final String[] values)
    {
        int width = 1;
        for (final String v : values)
        {
            width = Math.max(width, v.getBytes(StandardCharsets.US_ASCII).length + 1);
        }
        return width;
    }

    private long check(final String what, final long result) throws IOException
    {
        if (result < 0)
        {
            throw new IOException(what + " failed on " + path);
        }
        return result;
    }

    private static long call(final MethodHandle handle, final Path path, final String what, final Object... args)
        throws IOException
    {
        final long result = invoke(handle, args);
        if (result < 0)
        {
            throw new IOException(what + " failed on " + path);
        }
        return result;
    }

    private static long invoke(final MethodHandle handle, final Object... args)
    {
        try
        {
            return ((Number)handle.invokeWithArguments(args)).longValue();
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("HDF5 call failed: " + t, t);
        }
    }

    private static long invokeInt(final MethodHandle handle, final Object... args)
    {
        return invoke(handle, args);
    }
}
