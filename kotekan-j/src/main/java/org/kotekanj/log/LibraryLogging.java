package org.kotekanj.log;

import java.util.Map;

/**
 * Settings of the SLF4J logger that Jetty and jHDF log through (slf4j-simple): warnings and errors only, on stderr
 * beside our own lines. Three loggers are quiet below ERROR: jHDF's writer (it warns "writing files is in alpha"
 * for every file), jHDF's message reader (it warns of the padding after every attribute of the files jHDF itself
 * writes, so every {@code verify} printed six warnings a file) and Jetty's thread pool (it warns that a bounded job
 * queue "can lead to unexpected behavior": bounding the work requests can cause is what {@code RestServer} wants).
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
        "log.io.jhdf.WritableHdfFile", "error",
        "log.io.jhdf.object.message.Message", "error",
        "log.org.eclipse.jetty.util.thread.QueuedThreadPool", "error");

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
