package org.kotekanj.nativeio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How one mapping is backed, as the kernel reports it in {@code /proc/self/smaps}: the page size of the mapping and
 * how many of its bytes sit in transparent huge pages. Operators need this because a buffer that silently falls back
 * to 4 KiB pages costs TLB misses on every frame.
 */
public record PageBacking(long kernelPageSize, long sizeBytes, long anonHugeBytes, long hugetlbBytes)
{
    public static final PageBacking UNKNOWN = new PageBacking(0, 0, 0, 0);

    /** Reads the smaps entry of the mapping that starts at {@code address}; {@link #UNKNOWN} if it cannot be read. */
    public static PageBacking of(final long address, final long length)
    {
        try
        {
            return parse(Files.readAllLines(Path.of("/proc/self/smaps")), address);
        }
        catch (final IOException | RuntimeException e)
        {
            return UNKNOWN;
        }
    }

    static PageBacking parse(final List<String> smaps, final long address)
    {
        boolean inside = false;
        long kernelPage = 0;
        long size = 0;
        long anonHuge = 0;
        long hugetlb = 0;
        for (final String line : smaps)
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line, 0, dash))
            {
                if (inside)
                {
                    break;
                }
                final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = address >= start && address < end;
                continue;
            }
            if (inside)
            {
                if (line.startsWith("Size:"))
                {
                    size = kib(line);
                }
                else if (line.startsWith("KernelPageSize:"))
                {
                    kernelPage = kib(line);
                }
                else if (line.startsWith("AnonHugePages:"))
                {
                    anonHuge = kib(line);
                }
                else if (line.startsWith("Private_Hugetlb:") || line.startsWith("Shared_Hugetlb:"))
                {
                    hugetlb += kib(line);
                }
            }
        }
        return inside || size > 0 ? new PageBacking(kernelPage, size, anonHuge, hugetlb) : UNKNOWN;
    }

    private static boolean isHex(final String s, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (Character.digit(s.charAt(i), 16) < 0)
            {
                return false;
            }
        }
        return to > from;
    }

    private static long kib(final String line)
    {
        final String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    /** One word for dashboards: {@code hugetlb-2M}, {@code thp} (fully huge), {@code thp-partial}, {@code 4k}. */
    public String kind()
    {
        if (this == UNKNOWN || sizeBytes == 0)
        {
            return "unknown";
        }
        if (kernelPageSize > 4096)
        {
            return "hugetlb-" + (kernelPageSize >> 20) + "M";
        }
        if (anonHugeBytes > 0)
        {
            return anonHugeBytes >= sizeBytes ? "thp" : "thp-partial";
        }
        return "4k";
    }

    /** Fraction of the mapping in huge pages (1.0 for hugetlb). */
    public double hugeFraction()
    {
        if (sizeBytes == 0)
        {
            return 0;
        }
        return kernelPageSize > 4096 ? 1.0 : (double)anonHugeBytes / sizeBytes;
    }
}
