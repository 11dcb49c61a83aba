package org.kotekanj.service;

import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.CountersFile;
import org.kotekanj.status.CountersFileDescriptor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process's start-up housekeeping, without REST. */
class KotekanServiceTest
{
    @TempDir
    Path dir;

    /** A counters file as a process with {@code pid}, started at {@code startMs}, would have left it. */
    private Path leftBehind(final String name, final long pid, final long startMs)
    {
        final Path path = dir.resolve(name + CountersFileDescriptor.SUFFIX);
        final MappedByteBuffer mapped = IoUtil.mapNewFile(path.toFile(), CountersFileDescriptor.fileLength(512, 128));
        CountersFileDescriptor.writeHeader(new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH), 512, 128,
            pid, startMs, name);
        IoUtil.unmap(mapped);
        return path;
    }

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "true did not exit");
        return process.pid();
    }

    @Test
    void shouldReclaimCountersFilesWhoseOwnerIsGoneAndKeepTheOthers() throws Exception
    {
        final Path killed = leftBehind("killed", deadPid(), System.currentTimeMillis() - 60_000);
        // The pid is alive, but it is this process, started long after that file was written: the pid was reused.
        final Path reused = leftBehind("reused", ProcessHandle.current().pid(), 1_000);
        final Path foreign = dir.resolve("foreign" + CountersFileDescriptor.SUFFIX);
        Files.write(foreign, new byte[256]);
        final Path unrelated = Files.writeString(dir.resolve("notes.txt"), "not ours");
        try (CountersFile live = CountersFile.create(dir, "live", 64 * 128);
            KotekanService service = KotekanService.open(
                new ServiceOptions(false, "127.0.0.1", 0, dir, "starting"), new StageRegistry(), false))
        {
            assertFalse(Files.exists(killed), "the counters file of a killed process is reclaimed");
            assertFalse(Files.exists(reused), "a file whose pid now belongs to a younger process is reclaimed");
            assertTrue(Files.exists(live.path()), "a live instance's file stays");
            assertTrue(Files.exists(foreign), "a file that is not a counters file is not touched");
            assertTrue(Files.exists(unrelated));
            assertTrue(Files.exists(service.countersFile()));
        }
    }

    @Test
    void shouldSayInOneSentenceThatTheRestPortIsTakenAndLeaveNoCountersFile() throws Exception
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            final int port = taken.getLocalPort();
            final java.io.IOException error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> KotekanService.open(new ServiceOptions(true, "127.0.0.1", port, dir, "second"),
                    new StageRegistry(), false));
            org.junit.jupiter.api.Assertions.assertEquals("cannot serve REST on 127.0.0.1:" + port +
                ": Address already in use (choose another with --rest-port, or --no-rest)", error.getMessage());
            assertFalse(Files.exists(dir.resolve("second" + CountersFileDescriptor.SUFFIX)));
        }
    }
}
