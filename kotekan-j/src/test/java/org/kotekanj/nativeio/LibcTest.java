package org.kotekanj.nativeio;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest
{
    @Test
    void shouldPinOnlyTheCallingThread() throws Exception
    {
        final int[] all = Libc.currentThreadAffinity();
        final int cpu = all[all.length - 1];
        final AtomicReference<int[]> seen = new AtomicReference<>();
        final Thread thread = Thread.ofPlatform().start(() ->
        {
            Libc.pinCurrentThread(new int[] {cpu});
            seen.set(Libc.currentThreadAffinity());
        });
        assertTrue(thread.join(java.time.Duration.ofSeconds(10)), "the pinned thread did not finish");
        assertArrayEquals(new int[] {cpu}, seen.get());
        assertArrayEquals(all, Libc.currentThreadAffinity());
    }

    @Test
    void shouldSayWhatTheKernelSaidWhenACallFails() throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = Thread.ofPlatform().start(() ->
        {
            try
            {
                Libc.pinCurrentThread(new int[] {1023});
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        });
        assertTrue(thread.join(java.time.Duration.ofSeconds(10)), "the failing thread did not finish");
        final NativeException error = (NativeException)failure.get();
        assertEquals(22, error.errno());
        assertEquals("sched_setaffinity failed: Invalid argument (errno 22)", error.getMessage());
        assertEquals("cpu 1024 is outside the affinity mask",
            assertThrows(IllegalArgumentException.class, () -> Libc.pinCurrentThread(new int[] {1024})).getMessage());
    }

    @Test
    void shouldExplainARequiredHugePagePoolThatIsTooSmall()
    {
        final long pages = 1L << 20;
        final NativeException error = assertThrows(NativeException.class,
            () -> MappedMemory.map(pages * (2L << 20), HugePages.REQUIRED, -1));
        assertTrue(error.getMessage().startsWith("mmap of " + pages * (2L << 20) + " bytes failed: "),
            error.getMessage());
        assertTrue(error.getMessage().contains("; hugepages: required needs " + pages + " free 2 MiB pages " +
            "(HugePages_Total="), error.getMessage());
        assertTrue(error.getMessage().endsWith("; raise /proc/sys/vm/nr_hugepages or use hugepages: auto)"),
            error.getMessage());
    }

    @Test
    void shouldRefuseToBindToANumaNodeThatDoesNotExist()
    {
        final NativeException error = assertThrows(NativeException.class,
            () -> MappedMemory.map(1L << 20, HugePages.OFF, 63));
        assertTrue(error.getMessage().startsWith("mbind to NUMA node 63 failed: "), error.getMessage());
    }
}
