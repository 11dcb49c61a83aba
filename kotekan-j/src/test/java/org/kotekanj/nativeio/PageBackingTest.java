package org.kotekanj.nativeio;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PageBackingTest
{
    private static final List<String> SMAPS = """
        55bf3a68d000-55bf3a691000 r--p 00000000 fe:00 260368                     /usr/bin/grep-3.11
        Size:                 16 kB
        KernelPageSize:        4 kB
        MMUPageSize:           4 kB
        AnonHugePages:         0 kB
        Shared_Hugetlb:        0 kB
        Private_Hugetlb:       0 kB
        VmFlags: rd mr mw me
        7f0000000000-7f0000800000 rw-p 00000000 00:00 0
        Size:               8192 kB
        KernelPageSize:        4 kB
        MMUPageSize:           4 kB
        Rss:                8192 kB
        AnonHugePages:      6144 kB
        Shared_Hugetlb:        0 kB
        Private_Hugetlb:       0 kB
        THPeligible:           1
        VmFlags: rd wr mr mw me ac hg
        7f0000800000-7f0001000000 rw-p 00000000 00:00 0
        Size:               8192 kB
        KernelPageSize:        4 kB
        AnonHugePages:      8192 kB
        VmFlags: rd wr mr mw me ac hg
        7f1000000000-7f1000400000 rw-p 00000000 00:0f 1234                       /anon_hugepage (deleted)
        Size:               4096 kB
        KernelPageSize:     2048 kB
        MMUPageSize:        2048 kB
        AnonHugePages:         0 kB
        Shared_Hugetlb:        0 kB
        Private_Hugetlb:    4096 kB
        VmFlags: rd wr mr mw me de ht
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
        Size:                  4 kB
        KernelPageSize:        4 kB
        AnonHugePages:         0 kB
        """.lines().toList();

    @Test
    void shouldReadTheMappingThatHoldsTheAddress()
    {
        final PageBacking partial = PageBacking.parse(SMAPS, 0x7f0000000000L + 4096);
        assertEquals(new PageBacking(4096, 8L << 20, 6L << 20, 0), partial);
        assertEquals("thp-partial", partial.kind());
        assertEquals(0.75, partial.hugeFraction());

        final PageBacking full = PageBacking.parse(SMAPS, 0x7f0000800000L);
        assertEquals(new PageBacking(4096, 8L << 20, 8L << 20, 0), full);
        assertEquals("thp", full.kind());

        final PageBacking hugetlb = PageBacking.parse(SMAPS, 0x7f1000000000L);
        assertEquals(new PageBacking(2L << 20, 4L << 20, 0, 4L << 20), hugetlb);
        assertEquals("hugetlb-2M", hugetlb.kind());
        assertEquals(1.0, hugetlb.hugeFraction());

        final PageBacking small = PageBacking.parse(SMAPS, 0x55bf3a68d000L);
        assertEquals("4k", small.kind());
        assertEquals(0.0, small.hugeFraction());

        assertEquals("4k", PageBacking.parse(SMAPS, 0xffffffffff600000L).kind(), "addresses above 2^63 parse");
    }

    @Test
    void shouldNotMatchTheEndAddressOrAnAddressOutsideEveryMapping()
    {
        assertEquals("thp", PageBacking.parse(SMAPS, 0x7f0000800000L).kind(), "the end is the next mapping's start");
        assertSame(PageBacking.UNKNOWN, PageBacking.parse(SMAPS, 0x7f0001000000L));
        assertSame(PageBacking.UNKNOWN, PageBacking.parse(SMAPS, 0x1000L));
        assertSame(PageBacking.UNKNOWN, PageBacking.parse(List.of(), 0x1000L));
        assertEquals("unknown", PageBacking.UNKNOWN.kind());
    }

    @Test
    void shouldReadThisProcesssOwnMapping()
    {
        try (MappedMemory memory = MappedMemory.map(6L << 20, HugePages.OFF, -1))
        {
            final PageBacking backing = memory.backing();
            assertEquals(4096, backing.kernelPageSize());
            assertEquals(0, backing.anonHugeBytes());
            assertEquals("4k", backing.kind());
            assertEquals(backing, PageBacking.of(memory.address() + (5L << 20), memory.length()));
        }
    }
}
