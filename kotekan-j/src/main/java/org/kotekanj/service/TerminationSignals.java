package org.kotekanj.service;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling, so that a signal drains the pipeline and the process exits 0 (a JVM shutdown hook
 * cannot choose the exit status). The only use of {@code sun.misc.Signal} in the project.
 */
public final class TerminationSignals
{
    private TerminationSignals()
    {
    }

    /** Calls {@code handler} with the signal's name ({@code TERM} or {@code INT}) on each one received. */
    public static void handle(final Consumer<String> handler)
    {
        for (final String name : new String[] {"TERM", "INT"})
        {
            Signal.handle(new Signal(name), signal -> handler.accept(signal.getName()));
        }
    }
}
