package org.kotekanj.baseband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileDigestTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"4096, 3, 100000, 777", "5000, 1, 12345, 0", "0, 2, 4096, 4096", "1, 5, 1, 1"})
    void shouldDigestMetadataReadBackWithTheSamplesFromMemoryAsTheWholeFileRead(final int prefix, final int pieces,
        final int pieceBytes, final int suffix) throws Exception
    {
        final Random random = new Random(prefix * 31L + pieces);
        final byte[] whole = new byte[prefix + pieces * pieceBytes + suffix];
        random.nextBytes(whole);
        final Path file = dir.resolve("f.h5");
        // The samples region holds something else on disk: the digest must come from memory for those bytes.
        final byte[] onDisk = whole.clone();
        java.util.Arrays.fill(onDisk, prefix, prefix + pieces * pieceBytes, (byte)0x55);
        Files.write(file, onDisk);
        try (Arena arena = Arena.ofConfined())
        {
            final List<MemorySegment> samples = new ArrayList<>();
            for (int i = 0; i < pieces; i++)
            {
                final MemorySegment s = arena.allocate(pieceBytes, 4096);
                MemorySegment.copy(MemorySegment.ofArray(whole), JAVA_BYTE, prefix + (long)i * pieceBytes, s,
                    JAVA_BYTE, 0, pieceBytes);
                samples.add(s);
            }
            assertEquals(sha256(whole), digest(file, prefix, samples));
        }
        assertEquals(sha256(onDisk), FileDigest.sha256(file));
    }

    @Test
    void shouldDigestAnEmptyFile() throws Exception
    {
        final Path file = dir.resolve("empty");
        Files.write(file, new byte[0]);
        assertEquals(sha256(new byte[0]), FileDigest.sha256(file));
    }

    @Test
    void shouldRefuseSamplesThatReachPastTheFile() throws Exception
    {
        final Path file = dir.resolve("short");
        Files.write(file, new byte[100]);
        try (Arena arena = Arena.ofConfined())
        {
            assertThrows(java.io.IOException.class, () -> digest(file, 50, List.of(arena.allocate(51))));
        }
    }

    private static String digest(final Path file, final long dataOffset, final List<MemorySegment> data)
        throws java.io.IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file))
        {
            return FileDigest.sha256(channel, dataOffset, data);
        }
    }

    private static String sha256(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
