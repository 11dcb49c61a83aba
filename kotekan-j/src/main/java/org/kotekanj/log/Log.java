package org.kotekanj.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A named logger with a per-stage level ({@code log_level} in the config), writing one line per message to stderr.
 * Stages log on their cold paths only (start, stop, configuration, rare events); the hot path counts instead.
 */
public final class Log
{
    /** Levels as Kotekan names them. */
    public enum Level
    {
        OFF, ERROR, WARN, INFO, DEBUG, DEBUG2;

        public static Level parse(final String name)
        {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
        .withZone(ZoneOffset.UTC);
    private static volatile PrintStream out = System.err;

    private final String name;
    private final Level level;

    public Log(final String name, final Level level)
    {
        this.name = name;
        this.level = level;
    }

    public static Log of(final String name)
    {
        return new Log(name, Level.INFO);
    }

    /** Redirects all logging (tests capture it). */
    public static void redirect(final PrintStream stream)
    {
        out = stream;
    }

    public Level level()
    {
        return level;
    }

    public boolean enabled(final Level at)
    {
        return at != Level.OFF && at.ordinal() <= level.ordinal();
    }

    public void error(final String message)
    {
        log(Level.ERROR, message);
    }

    public void warn(final String message)
    {
        log(Level.WARN, message);
    }

    public void info(final String message)
    {
        log(Level.INFO, message);
    }

    public void debug(final String message)
    {
        log(Level.DEBUG, message);
    }

    private void log(final Level at, final String message)
    {
        if (enabled(at))
        {
            out.println(TIME.format(Instant.now()) + " " + at + " [" + name + "] " + message);
        }
    }
}
