package org.kotekanj.nativeio;

import java.util.Locale;

/** How a buffer asks for huge pages: the {@code hugepages:} key of a {@code kotekan_buffer}. */
public enum HugePages
{
    /** Transparent huge pages requested with {@code madvise(MADV_HUGEPAGE)} before first touch; 4 KiB if refused. */
    AUTO,
    /** Explicit {@code MAP_HUGETLB} pages from the kernel's reserved pool; fails if the pool is too small. */
    REQUIRED,
    /** Normal 4 KiB pages ({@code MADV_NOHUGEPAGE}). */
    OFF;

    public static HugePages parse(final String value)
    {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
