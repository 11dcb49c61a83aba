package org.kotekanj.nativeio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's huge-page pool and THP mode, for error messages and the {@code /status} report. */
public final class HugePageStatus
{
    private HugePageStatus()
    {
    }

    public static String read()
    {
        return "HugePages_Total=" + meminfo("HugePages_Total") + " HugePages_Free=" + meminfo("HugePages_Free") +
            " THP=" + transparentMode();
    }

    /** Free pages of the reserved 2 MiB pool ({@code HugePages_Free}), or -1 if the kernel does not say. */
    public static long freePages()
    {
        try
        {
            return Long.parseLong(meminfo("HugePages_Free"));
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /** What {@code hugepages: required} lacks, the same words whether {@code check} or a failed mapping finds it. */
    public static String requiredMessage(final long pages)
    {
        return "hugepages: required needs " + pages + " free 2 MiB pages (" + read() +
            "; raise /proc/sys/vm/nr_hugepages or use hugepages: auto)";
    }

    public static String transparentMode()
    {
        try
        {
            final String modes = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).trim();
            final int open = modes.indexOf('[');
            final int close = modes.indexOf(']');
            return open >= 0 && close > open ? modes.substring(open + 1, close) : modes;
        }
        catch (final IOException e)
        {
            return "unavailable";
        }
    }

    private static String meminfo(final String key)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith(key + ":"))
                {
                    return line.substring(key.length() + 1).trim();
                }
            }
        }
        catch (final IOException e)
        {
            return "?";
        }
        return "?";
    }
}
