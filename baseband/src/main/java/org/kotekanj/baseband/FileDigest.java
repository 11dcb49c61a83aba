package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 of a written file for {@code event.json}, over the file mapped into memory. OpenSSL's {@code EVP_Digest}
 * (libcrypto 3, SHA-NI: about 1.8 GB/s here) through the FFM API, because the JDK's digest ran at about a fifth of
 * that and hashing was the slowest step of a dump; the JDK's digest where libcrypto is missing.
 */
final class FileDigest
{
    private static final MethodHandle EVP_DIGEST;
    private static final MemorySegment EVP_SHA256;

    static
    {
        MethodHandle digest = null;
        MemorySegment sha256 = null;
        for (final String name : new String[] {"libcrypto.so.3", "libcrypto.so"})
        {
            try
            {
                final SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                final Linker linker = Linker.nativeLinker();
                digest = linker.downcallHandle(lookup.find("EVP_Digest").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                final MethodHandle md = linker.downcallHandle(lookup.find("EVP_sha256").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
                sha256 = (MemorySegment)md.invokeExact();
                break;
            }
            catch (final Throwable t)
            {
                digest = null;
                sha256 = null;
            }
        }
        EVP_DIGEST = digest;
        EVP_SHA256 = sha256;
    }

    private FileDigest()
    {
    }

    static String sha256(final Path file) throws IOException
    {
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final MemorySegment data = size == 0 ? arena.allocate(1) :
                channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            final byte[] out;
            if (EVP_DIGEST != null)
            {
                final MemorySegment md = arena.allocate(32);
                final int ok;
                try
                {
                    ok = (int)EVP_DIGEST.invokeExact(data, size, md, MemorySegment.NULL, EVP_SHA256,
                        MemorySegment.NULL);
                }
                catch (final Throwable t)
                {
                    throw new IOException("EVP_Digest failed: " + t, t);
                }
                if (ok != 1)
                {
                    throw new IOException("EVP_Digest failed on " + file);
                }
                out = md.toArray(JAVA_BYTE);
            }
            else
            {
                final MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(data.asSlice(0, size).asByteBuffer());
                out = digest.digest();
            }
            return HexFormat.of().formatHex(out);
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
