package org.kotekanj.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the runtime needs (memory mapping, NUMA binding, CPU pinning), bound once through the FFM API.
 *
 * <p>Every call that can fail captures {@code errno} into a caller-supplied segment so that error messages say what
 * the kernel said, not just "-1". These calls are all on cold paths (start-up, shutdown); the hot-path socket calls
 * live with their sources.
 */
public final class Libc
{
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;
    public static final int MPOL_BIND = 2;
    public static final long SYS_MBIND = 237;
    public static final int CPU_SET_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = downcall("mmap",
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MADVISE = downcall("madvise",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SCHED_SETAFFINITY = downcall("sched_setaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SCHED_GETAFFINITY = downcall("sched_getaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle MBIND = downcall("syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
        Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETTID = downcall("gettid", FunctionDescriptor.of(JAVA_INT));

    private Libc()
    {
    }

    /** Looks up a libc symbol; used by sources that bind their own socket calls. */
    public static MethodHandle downcall(final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        final MemorySegment symbol = LOOKUP.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A segment to pass as the first argument of an errno-capturing downcall. */
    public static MemorySegment newErrnoCapture(final Arena arena)
    {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that used this segment. */
    public static int errno(final MemorySegment capture)
    {
        return (int)ERRNO.get(capture, 0L);
    }

    /** The option that makes a downcall capture errno. */
    public static Linker.Option captureErrno()
    {
        return CAPTURE_ERRNO;
    }

    public static String strerror(final int errno)
    {
        try
        {
            final MemorySegment message = (MemorySegment)STRERROR.invokeExact(errno);
            return message.reinterpret(256).getString(0) + " (errno " + errno + ")";
        }
        catch (final Throwable t)
        {
            return "errno " + errno;
        }
    }

    /** Maps anonymous memory; throws {@link NativeException} with the kernel's reason on failure. */
    public static long mmapAnonymous(final long length, final int extraFlags)
    {
        return mmap(length, MAP_PRIVATE | MAP_ANONYMOUS | extraFlags, -1);
    }

    /** Maps {@code length} bytes read-write (of {@code fd}, or anonymous with fd -1); returns the address. */
    public static long mmap(final long length, final int flags, final int fd)
    {
        return checked("mmap of " + length + " bytes", (errno, arena) -> ((MemorySegment)MMAP.invokeExact(
            errno, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, flags, fd, 0L)).address());
    }

    public static void munmap(final long address, final long length)
    {
        checked("munmap", (errno, arena) -> (long)(int)MUNMAP.invokeExact(errno, MemorySegment.ofAddress(address), length));
    }

    public static void madvise(final long address, final long length, final int advice)
    {
        checked("madvise(" + advice + ")",
            (errno, arena) -> (long)(int)MADVISE.invokeExact(errno, MemorySegment.ofAddress(address), length, advice));
    }

    /** Binds a range to one NUMA node before it is touched (the {@code mbind} system call; glibc has no wrapper). */
    public static void mbind(final long address, final long length, final int node)
    {
        checked("mbind to NUMA node " + node, (errno, arena) ->
        {
            final MemorySegment mask = arena.allocate(JAVA_LONG, 16);
            mask.setAtIndex(JAVA_LONG, node / 64, 1L << (node % 64));
            return (long)MBIND.invokeExact(errno, SYS_MBIND, MemorySegment.ofAddress(address), length,
                (long)MPOL_BIND, mask, 1024L + 1, 0L);
        });
    }

    /** Pins the calling thread to the given CPUs. */
    public static void pinCurrentThread(final int[] cpus)
    {
        checked("sched_setaffinity", (errno, arena) ->
        {
            final MemorySegment mask = arena.allocate(CPU_SET_BYTES, 8);
            for (final int cpu : cpus)
            {
                if (cpu < 0 || cpu >= CPU_SET_BYTES * 8)
                {
                    throw new IllegalArgumentException("cpu " + cpu + " is outside the affinity mask");
                }
                mask.setAtIndex(JAVA_LONG, cpu / 64, mask.getAtIndex(JAVA_LONG, cpu / 64) | (1L << (cpu % 64)));
            }
            return (long)(int)SCHED_SETAFFINITY.invokeExact(errno, 0, (long)CPU_SET_BYTES, mask);
        });
    }

    /** The CPUs the calling thread may run on. */
    public static int[] currentThreadAffinity()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(CPU_SET_BYTES, 8);
            checked("sched_getaffinity",
                (errno, unused) -> (long)(int)SCHED_GETAFFINITY.invokeExact(errno, 0, (long)CPU_SET_BYTES, mask));
            final int[] cpus = new int[CPU_SET_BYTES * 8];
            int count = 0;
            for (int cpu = 0; cpu < CPU_SET_BYTES * 8; cpu++)
            {
                if ((mask.getAtIndex(JAVA_LONG, cpu / 64) & (1L << (cpu % 64))) != 0)
                {
                    cpus[count++] = cpu;
                }
            }
            return java.util.Arrays.copyOf(cpus, count);
        }
    }

    /** A libc call given a segment to capture errno into and an arena for its arguments. */
    @FunctionalInterface
    public interface ErrnoCall
    {
        long invoke(MemorySegment errno, Arena arena) throws Throwable;
    }

    /**
     * Runs one errno-capturing call on a cold path (set-up, options, close); a result of -1 (the libc failure value)
     * becomes a {@link NativeException} naming {@code what} and the kernel's reason.
     */
    public static long checked(final String what, final ErrnoCall call)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = newErrnoCapture(arena);
            final long rc = call.invoke(errno, arena);
            if (rc == -1L)
            {
                throw new NativeException(what + " failed: " + strerror(errno(errno)), errno(errno));
            }
            return rc;
        }
        catch (final RuntimeException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(what + " failed", t);
        }
    }

    /** The kernel's id of the calling thread, as shown in {@code /proc/self/task}. */
    public static int gettid()
    {
        try
        {
            return (int)GETTID.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
