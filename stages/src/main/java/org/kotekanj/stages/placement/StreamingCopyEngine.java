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

    private StreamingCopyEngine(final SymbolLookup library)
    {
        final Linker linker = Linker.nativeLinker();
        copyBatch = linker.downcallHandle(library.find("kj_copy_batch").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), Linker.Option.critical(true));
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
    public String name()
    {
        return "streaming";
    }
}
