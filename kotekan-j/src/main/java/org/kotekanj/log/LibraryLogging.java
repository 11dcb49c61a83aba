package org.kotekanj.log;

import java.util.Map;

/**
 * Settings of the SLF4J logger that Jetty and jHDF log through (slf4j-simple): warnings and errors only, on stderr
 * beside our own lines, and jHDF's writer quiet below ERROR (it warns "writing files is in alpha" for every file).
 *
 * <p>They are system properties, set before the first library logger exists, because slf4j-simple reads the first
 * {@code simplelogger.properties} on the classpath and jHDF's jar ships one (INFO, to stdout) that would win over
 * ours. A property given on the command line ({@code -Dorg.slf4j.simpleLogger...}) is kept.
 */
public final class LibraryLogging
{
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final Map<String, String> SETTINGS = Map.of(
        "defaultLogLevel", "warn",
        "logFile", "System.err",
        "showDateTime", "true",
        "dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS",
        "showThreadName", "false",
        "showShortLogName", "true",
        "log.io.jhdf.WritableHdfFile", "error");

    private LibraryLogging()
    {
    }

    /** Call first thing in every entry point; idempotent. */
    public static void configure()
    {
        SETTINGS.forEach((key, value) ->
        {
            if (System.getProperty(PREFIX + key) == null)
            {
                System.setProperty(PREFIX + key, value);
            }
        });
    }
}
