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
