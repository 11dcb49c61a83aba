package org.kotekanj.baseband.hdf5;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The HDF5 C library (Debian's {@code libhdf5-103-1}, HDF5 1.10, built thread-safe) bound through the FFM API: the
 * dozen calls a baseband file needs. jHDF writes only whole in-memory arrays, so a dump of many GiB would need as
 * much heap; libhdf5 writes hyperslabs straight from off-heap staging memory, so the heap stays small whatever the
 * dump size. Loaded once, on first use; {@link #available()} says whether this machine has it.
 */
public final class Hdf5Library
{
    public static final long H5P_DEFAULT = 0;
    public static final long H5S_ALL = 0;
    public static final int H5F_ACC_EXCL = 0x0004;
    public static final int H5F_ACC_TRUNC = 0x0002;
    public static final int H5S_SELECT_SET = 0;
    public static final int H5S_SCALAR = 0;
    public static final int H5T_STR_NULLTERM = 0;
    static final int H5D_CONTIGUOUS = 1;
    static final int H5D_ALLOC_TIME_EARLY = 1;
    static final int H5D_FILL_TIME_NEVER = 1;
    /** {@code HADDR_UNDEF}: a dataset with no storage yet. */
    static final long HADDR_UNDEF = -1L;

    private static final List<String> NAMES = List.of("libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so",
        "libhdf5.so", "libhdf5.so.310", "libhdf5.so.200");
    private static final Hdf5Library INSTANCE = load();

    final MethodHandle fcreate;
    final MethodHandle fclose;
    final MethodHandle screateSimple;
    final MethodHandle screate;
    final MethodHandle sselectHyperslab;
    final MethodHandle sclose;
    final MethodHandle dcreate2;
    final MethodHandle dgetSpace;
    final MethodHandle dwrite;
    final MethodHandle dclose;
    final MethodHandle acreate2;
    final MethodHandle awrite;
    final MethodHandle aclose;
    final MethodHandle gcreate2;
    final MethodHandle gclose;
    final MethodHandle tcopy;
    final MethodHandle tsetSize;
    final MethodHandle tclose;
    final MethodHandle pcreate;
    final MethodHandle pclose;
    final MethodHandle psetAlignment;
    final MethodHandle psetLayout;
    final MethodHandle psetAllocTime;
    final MethodHandle psetFillTime;
    final MethodHandle dgetOffset;
    final long fileAccessClass;
    final long datasetCreateClass;
    final long nativeUint8;
    final long stdU8;
    final long stdU16;
    final long stdI64;
    final long ieeeF64;
    final long cS1;
    private final String loadedFrom;
    private final String problem;

    private Hdf5Library(final SymbolLookup lookup, final String loadedFrom)
    {
        this.loadedFrom = loadedFrom;
        final Linker linker = Linker.nativeLinker();
        final Binder b = new Binder(linker, lookup);
        fcreate = b.bind("H5Fcreate", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG));
        fclose = b.bind("H5Fclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        screateSimple = b.bind("H5Screate_simple", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
        screate = b.bind("H5Screate", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        sselectHyperslab = b.bind("H5Sselect_hyperslab",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        sclose = b.bind("H5Sclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        dcreate2 = b.bind("H5Dcreate2", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG));
        dgetSpace = b.bind("H5Dget_space", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        dwrite = b.bind("H5Dwrite", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, ADDRESS));
        dclose = b.bind("H5Dclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        acreate2 = b.bind("H5Acreate2", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG));
        awrite = b.bind("H5Awrite", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS));
        aclose = b.bind("H5Aclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        gcreate2 = b.bind("H5Gcreate2", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG,
            JAVA_LONG));
        gclose = b.bind("H5Gclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        tcopy = b.bind("H5Tcopy", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        tsetSize = b.bind("H5Tset_size", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        tclose = b.bind("H5Tclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        pcreate = b.bind("H5Pcreate", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        pclose = b.bind("H5Pclose", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        psetAlignment = b.bind("H5Pset_alignment", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        psetLayout = b.bind("H5Pset_layout", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        psetAllocTime = b.bind("H5Pset_alloc_time", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        psetFillTime = b.bind("H5Pset_fill_time", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        dgetOffset = b.bind("H5Dget_offset", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        final MethodHandle open = b.bind("H5open", FunctionDescriptor.of(JAVA_INT));
        final MethodHandle quiet = b.bind("H5Eset_auto2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS,
            ADDRESS));
        try
        {
            if ((int)open.invokeExact() < 0)
            {
                throw new IllegalStateException("H5open failed");
            }
            // Errors are reported by our exceptions, not printed by the library on stderr.
            final int ignored = (int)quiet.invokeExact(0L, MemorySegment.NULL, MemorySegment.NULL);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("cannot initialise HDF5: " + t.getMessage(), t);
        }
        nativeUint8 = b.global("H5T_NATIVE_UINT8_g");
        stdU8 = b.global("H5T_STD_U8LE_g");
        stdU16 = b.global("H5T_STD_U16LE_g");
        stdI64 = b.global("H5T_STD_I64LE_g");
        ieeeF64 = b.global("H5T_IEEE_F64LE_g");
        cS1 = b.global("H5T_C_S1_g");
        fileAccessClass = b.global("H5P_CLS_FILE_ACCESS_ID_g");
        datasetCreateClass = b.global("H5P_CLS_DATASET_CREATE_ID_g");
        problem = null;
    }

    private Hdf5Library(final String problem)
    {
        this.problem = problem;
        this.loadedFrom = null;
        fcreate = fclose = screateSimple = screate = sselectHyperslab = sclose = dcreate2 = dgetSpace = dwrite =
            dclose = acreate2 = awrite = aclose = gcreate2 = gclose = tcopy = tsetSize = tclose = pcreate = pclose =
            psetAlignment = psetLayout = psetAllocTime = psetFillTime = dgetOffset = null;
        nativeUint8 = stdU8 = stdU16 = stdI64 = ieeeF64 = cS1 = fileAccessClass = datasetCreateClass = -1;
    }

    private static Hdf5Library load()
    {
        final StringBuilder tried = new StringBuilder();
        for (final String name : NAMES)
        {
            try
            {
                final SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                return new Hdf5Library(lookup, name);
            }
            catch (final IllegalArgumentException | IllegalStateException | UnsatisfiedLinkError e)
            {
                tried.append(tried.isEmpty() ? "" : ", ").append(name);
            }
        }
        return new Hdf5Library("no HDF5 library found (tried " + tried + "); install libhdf5-103-1");
    }

    /** The bound library; throws with what to install if this machine has none. */
    public static Hdf5Library get()
    {
        if (INSTANCE.problem != null)
        {
            throw new IllegalStateException(INSTANCE.problem);
        }
        return INSTANCE;
    }

    public static boolean available()
    {
        return INSTANCE.problem == null;
    }

    /** Which shared object was loaded, or why none was. */
    public static String describe()
    {
        return INSTANCE.problem != null ? INSTANCE.problem : INSTANCE.loadedFrom;
    }

    private static final class Binder
    {
        private final Linker linker;
        private final SymbolLookup lookup;

        Binder(final Linker linker, final SymbolLookup lookup)
        {
            this.linker = linker;
            this.lookup = lookup;
        }

        MethodHandle bind(final String name, final FunctionDescriptor descriptor)
        {
            return linker.downcallHandle(find(name), descriptor);
        }

        /** A {@code hid_t} global such as {@code H5T_NATIVE_UINT8_g}, valid after {@code H5open}. */
        long global(final String name)
        {
            return find(name).reinterpret(8).get(JAVA_LONG, 0);
        }

        private MemorySegment find(final String name)
        {
            return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libhdf5 has no symbol " + name));
        }
    }
}
