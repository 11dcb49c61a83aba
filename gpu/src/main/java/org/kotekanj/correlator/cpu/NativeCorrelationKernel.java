package org.kotekanj.correlator.cpu;

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

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native X-engine helper ({@code src/main/c/kotekanj_corr.c}, built by Maven with gcc): AVX-512 VNNI
 * ({@code vpdpbusd}) or AVX2 ({@code vpmaddubsw + vpmaddwd}) register tiles, chosen at run time. Loaded from the
 * classpath; {@link #load} returns {@code null} where the library or the instructions are missing, and the Vector API
 * kernel is used instead. The calls are ordinary (not critical) downcalls: one lasts milliseconds, and a critical
 * call would hold off safepoints for the receive thread meanwhile.
 */
public final class NativeCorrelationKernel implements CorrelationKernel
{
    /** {@code kj_corr_best_isa} values. */
    public static final int ISA_AVX2 = 1;
    public static final int ISA_AVX512_VNNI = 2;

    private static final String RESOURCE = "/native/linux-x86_64/libkotekanj_corr.so";
    private static SymbolLookup library;
    private static boolean tried;

    private final MethodHandle accumulate;
    private final MethodHandle scratchBytes;
    private final int isa;

    private NativeCorrelationKernel(final SymbolLookup lookup, final int wantedIsa) throws Throwable
    {
        final Linker linker = Linker.nativeLinker();
        accumulate = linker.downcallHandle(lookup.find("kj_corr_accumulate").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
                JAVA_INT));
        scratchBytes = linker.downcallHandle(lookup.find("kj_corr_scratch_bytes").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        final MethodHandle useIsa = linker.downcallHandle(lookup.find("kj_corr_use_isa").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        isa = (int)useIsa.invokeExact(wantedIsa);
    }

    /** The best native path of this CPU, or {@code null} if there is none (no library, no AVX2). */
    public static NativeCorrelationKernel load()
    {
        return load(-1);
    }

    /**
     * A native path limited to {@code isa} ({@link #ISA_AVX2}, {@link #ISA_AVX512_VNNI}; -1 for the best); the library
     * keeps one choice per process, so this is for tests and benchmarks comparing the paths.
     */
    public static synchronized NativeCorrelationKernel load(final int isa)
    {
        final SymbolLookup lookup = library();
        if (lookup == null)
        {
            return null;
        }
        try
        {
            final NativeCorrelationKernel kernel = new NativeCorrelationKernel(lookup, isa);
            return kernel.isa >= ISA_AVX2 ? kernel : null;
        }
        catch (final Throwable t)
        {
            return null;
        }
    }

    private static SymbolLookup library()
    {
        if (!tried)
        {
            tried = true;
            try (InputStream in = NativeCorrelationKernel.class.getResourceAsStream(RESOURCE))
            {
                if (in != null)
                {
                    final Path file = Files.createTempFile("libkotekanj_corr", ".so");
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                    library = SymbolLookup.libraryLookup(file, Arena.global());
                }
            }
            catch (final IOException | RuntimeException | UnsatisfiedLinkError e)
            {
                library = null;
            }
        }
        return library;
    }

    public int isa()
    {
        return isa;
    }

    @Override
    public String name()
    {
        return isa == ISA_AVX512_VNNI ? "native avx512-vnni" : "native avx2";
    }

    @Override
    public Worker newWorker(final int numInputs)
    {
        final long bytes;
        try
        {
            bytes = (long)scratchBytes.invokeExact(numInputs);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native correlator failed", t);
        }
        final Arena arena = Arena.ofShared();
        final MemorySegment scratch = arena.allocate(bytes, 64);
        // six inputs per row block, as ROWS in kotekanj_corr.c
        final int blocks = (numInputs + 5) / 6;
        return new Worker()
        {
            @Override
            public int numBlocks()
            {
                return blocks;
            }

            @Override
            public void accumulate(final MemorySegment samples, final long offset, final long stride,
                final int numTime, final MemorySegment sums, final long sumsOffset, final int firstBlock,
                final int blockStep)
            {
                // The helper gets raw addresses (no segment objects per call), so the bounds are proved here.
                if (numTime < 1 || offset < 0 || sumsOffset < 0 || !samples.isNative() || !sums.isNative() ||
                    offset + (long)(numTime - 1) * stride + numInputs > samples.byteSize() ||
                    sumsOffset + 16 * ((long)numInputs * (numInputs + 1) / 2) > sums.byteSize())
                {
                    throw new IndexOutOfBoundsException("samples or sums too small for " + numInputs + " inputs x " +
                        numTime + " samples");
                }
                final int used;
                try
                {
                    used = (int)accumulate.invokeExact(samples.address() + offset, stride, numInputs, numTime,
                        scratch.address(), sums.address() + sumsOffset, firstBlock, blockStep);
                }
                catch (final Throwable t)
                {
                    throw new IllegalStateException("native correlator failed", t);
                }
                if (used < 0)
                {
                    throw new IllegalStateException("the native correlator has no path for this CPU");
                }
            }

            @Override
            public void close()
            {
                arena.close();
            }
        };
    }
}
