package org.kotekanj.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The software version, filled in by the build; recorded in every output file and served at {@code /version}. */
public final class Version
{
    private static final String VERSION = load();

    private Version()
    {
    }

    public static String version()
    {
        return VERSION;
    }

    /** {@code kotekan-j <version>}, as output files record it. */
    public static String softwareVersion()
    {
        return "kotekan-j " + VERSION;
    }

    private static String load()
    {
        try (InputStream in = Version.class.getResourceAsStream("/org/kotekanj/version.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException e)
        {
            return "unknown";
        }
    }
}
