package org.kotekanj.stages.placement;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native copy path: the helper {@code libkotekanj_copy.so} (built by Maven with gcc) copies a whole batch with
 * streaming stores and one {@code sfence}, called through an FFM critical downcall (~4 ns). Loaded from the classpath;
 * {@link #load()} returns {@code null} where it is absent, and callers fall back to {@link JavaCopyEngine}.
 */
public final class StreamingCopyEngine implements CopyEngine
{
    private static final String RESOURCE = "/native/linux-x86_64/libkotekanj_copy.so";
    private static volatile StreamingCopyEngine instance;
    private static volatile boolean tried;

    private final MethodHandle copyBatch;
    private final MethodHandle copyAhead;
    private final MethodHandle referenceRuns;
    private final int vectorBits;

    private StreamingCopyEngine(final SymbolLookup library)
    {
        final Linker linker = Linker.nativeLinker();
        copyBatch = linker.downcallHandle(library.find("kj_copy_batch").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), Linker.Option.critical(true));
        copyAhead = linker.downcallHandle(library.find("kj_copy_ahead").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), Linker.Option.critical(true));
        referenceRuns = linker.downcallHandle(library.find("kj_reference_runs").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_INT), Linker.Option.critical(false));
        try
        {
            vectorBits = (int)linker.downcallHandle(library.find("kj_copy_vector_bits").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT)).invokeExact();
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native copy helper did not answer", t);
        }
    }

    /** The engine, or {@code null} if the native helper is not available here. */
    public static synchronized StreamingCopyEngine load()
    {
        if (!tried)
        {
            tried = true;
            try (InputStream in = StreamingCopyEngine.class.getResourceAsStream(RESOURCE))
            {
                if (in != null)
                {
                    final Path file = Files.createTempFile("libkotekanj_copy", ".so");
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                    instance = new StreamingCopyEngine(SymbolLookup.libraryLookup(file, Arena.global()));
                }
            }
            catch (final IOException | RuntimeException | UnsatisfiedLinkError e)
            {
                instance = null;
            }
        }
        return instance;
    }

    @Override
    public void copyBatch(final MemorySegment queue, final int count)
    {
        try
        {
            copyBatch.invokeExact(queue, count);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native copy failed", t);
        }
    }

    @Override
    public void copyAhead(final MemorySegment queue, final int count)
    {
        try
        {
            copyAhead.invokeExact(queue, count);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native copy failed", t);
        }
    }

    /** The streaming stores chosen at run time for this CPU: 512 (AVX-512F), 256 (AVX2) or 128 (SSE2) bits. */
    public int vectorBits()
    {
        return vectorBits;
    }

    /**
     * The benchmarks' C reference: the same copies as a plain C loop without the queue ({@code packets} payloads of
     * {@code payload} bytes, {@code srcStride} apart, in runs of {@code run} bytes to consecutive positions of a
     * ring of {@code ringMask + 1} bytes), widest streaming stores, one sfence. Returns the next ring position.
     */
    public long referenceRuns(final long src, final long srcStride, final long ring, final long ringMask,
        final long position, final int packets, final int payload, final int run)
    {
        try
        {
            return (long)referenceRuns.invokeExact(src, srcStride, ring, ringMask, position, packets, payload, run);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native reference copy failed", t);
        }
    }

    @Override
    public String name()
    {
        return "streaming";
    }
}
