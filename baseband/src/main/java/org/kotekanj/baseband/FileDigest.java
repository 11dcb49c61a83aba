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
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 of a written file for {@code event.json}: either the whole file read back (mapped), or, for a file whose
 * samples are still in staging, its metadata read back ({@code [0, data offset)} and what follows the samples) with
 * the samples hashed from memory, in file order: the same digest without reading from disk the bytes that went there
 * by O_DIRECT. OpenSSL's EVP digest (libcrypto 3, SHA-NI: about 1.8 GB/s here) through the FFM API, because the JDK's
 * digest ran at about a fifth of that and hashing was the slowest step of a dump; the JDK's digest where libcrypto is
 * missing.
 */
final class FileDigest
{
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;
    private static final MemorySegment EVP_SHA256;

    static
    {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MemorySegment sha256 = null;
        for (final String name : new String[] {"libcrypto.so.3", "libcrypto.so"})
        {
            try
            {
                final SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                final Linker linker = Linker.nativeLinker();
                ctxNew = linker.downcallHandle(lookup.find("EVP_MD_CTX_new").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
                ctxFree = linker.downcallHandle(lookup.find("EVP_MD_CTX_free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ADDRESS));
                init = linker.downcallHandle(lookup.find("EVP_DigestInit_ex").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
                update = linker.downcallHandle(lookup.find("EVP_DigestUpdate").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
                fin = linker.downcallHandle(lookup.find("EVP_DigestFinal_ex").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
                final MethodHandle md = linker.downcallHandle(lookup.find("EVP_sha256").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
                sha256 = (MemorySegment)md.invokeExact();
                break;
            }
            catch (final Throwable t)
            {
                ctxNew = null;
                sha256 = null;
            }
        }
        CTX_NEW = sha256 == null ? null : ctxNew;
        CTX_FREE = ctxFree;
        INIT = init;
        UPDATE = update;
        FINAL = fin;
        EVP_SHA256 = sha256;
    }

    private FileDigest()
    {
    }

    /** SHA-256 of the whole file, read back (mapped). */
    static String sha256(final Path file) throws IOException
    {
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            Sha256 digest = new Sha256())
        {
            final long size = channel.size();
            if (size > 0)
            {
                digest.update(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /**
     * SHA-256 of the file open in {@code channel} (left open) whose bytes {@code [dataOffset, dataOffset + total size
     * of data)} are {@code data}, in order (the samples still in staging): only the rest, the metadata, is read back,
     * by plain reads into a small buffer, so that the samples' range is neither read from disk nor put in the page
     * cache.
     */
    static String sha256(final FileChannel channel, final long dataOffset, final List<MemorySegment> data)
        throws IOException
    {
        long dataBytes = 0;
        for (final MemorySegment segment : data)
        {
            dataBytes += segment.byteSize();
        }
        try (Arena arena = Arena.ofConfined();
            Sha256 digest = new Sha256())
        {
            final long size = channel.size();
            final long dataEnd = dataOffset + dataBytes;
            if (dataOffset < 0 || dataEnd > size)
            {
                throw new IOException("samples at " + dataOffset + "+" + dataBytes + " outside a file of " +
                    size + " bytes");
            }
            final MemorySegment buffer = arena.allocate(READ_BYTES, 4096);
            hashRange(channel, 0, dataOffset, buffer, digest);
            for (final MemorySegment segment : data)
            {
                digest.update(segment);
            }
            hashRange(channel, dataEnd, size, buffer, digest);
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static final long READ_BYTES = 1 << 20;

    private static void hashRange(final FileChannel channel, final long from, final long to,
        final MemorySegment buffer, final Sha256 digest) throws IOException
    {
        long at = from;
        while (at < to)
        {
            final java.nio.ByteBuffer piece = buffer.asSlice(0, Math.min(buffer.byteSize(), to - at)).asByteBuffer();
            while (piece.hasRemaining())
            {
                final int n = channel.read(piece, at + piece.position());
                if (n < 0)
                {
                    throw new IOException("the file ended at " + (at + piece.position()) + " before " + to);
                }
            }
            digest.update(buffer.asSlice(0, piece.limit()));
            at += piece.limit();
        }
    }

    /** An incremental SHA-256: OpenSSL's EVP_MD_CTX, or the JDK's MessageDigest. */
    static final class Sha256 implements AutoCloseable
    {
        private final MemorySegment ctx;
        private final MessageDigest jdk;

        Sha256() throws IOException
        {
            if (CTX_NEW != null)
            {
                try
                {
                    ctx = (MemorySegment)CTX_NEW.invokeExact();
                    if (ctx.equals(MemorySegment.NULL) || (int)INIT.invokeExact(ctx, EVP_SHA256, MemorySegment.NULL) != 1)
                    {
                        throw new IOException("EVP_DigestInit_ex failed");
                    }
                }
                catch (final IOException e)
                {
                    throw e;
                }
                catch (final Throwable t)
                {
                    throw new IOException("EVP_DigestInit_ex failed: " + t, t);
                }
                jdk = null;
            }
            else
            {
                ctx = null;
                try
                {
                    jdk = MessageDigest.getInstance("SHA-256");
                }
                catch (final NoSuchAlgorithmException e)
                {
                    throw new IllegalStateException(e);
                }
            }
        }

        void update(final MemorySegment bytes) throws IOException
        {
            if (bytes.byteSize() == 0)
            {
                return;
            }
            if (jdk != null)
            {
                for (long at = 0; at < bytes.byteSize(); at += 1 << 30)
                {
                    jdk.update(bytes.asSlice(at, Math.min(1 << 30, bytes.byteSize() - at)).asByteBuffer());
                }
                return;
            }
            final int ok;
            try
            {
                ok = (int)UPDATE.invokeExact(ctx, bytes, bytes.byteSize());
            }
            catch (final Throwable t)
            {
                throw new IOException("EVP_DigestUpdate failed: " + t, t);
            }
            if (ok != 1)
            {
                throw new IOException("EVP_DigestUpdate failed");
            }
        }

        byte[] digest() throws IOException
        {
            if (jdk != null)
            {
                return jdk.digest();
            }
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment md = arena.allocate(64);
                final int ok;
                try
                {
                    ok = (int)FINAL.invokeExact(ctx, md, MemorySegment.NULL);
                }
                catch (final Throwable t)
                {
                    throw new IOException("EVP_DigestFinal_ex failed: " + t, t);
                }
                if (ok != 1)
                {
                    throw new IOException("EVP_DigestFinal_ex failed");
                }
                return md.asSlice(0, 32).toArray(JAVA_BYTE);
            }
        }

        @Override
        public void close()
        {
            if (ctx != null)
            {
                try
                {
                    CTX_FREE.invokeExact(ctx);
                }
                catch (final Throwable t)
                {
                    throw new IllegalStateException("EVP_MD_CTX_free failed", t);
                }
            }
        }
    }
}
