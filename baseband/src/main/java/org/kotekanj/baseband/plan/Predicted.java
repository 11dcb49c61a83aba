package org.kotekanj.baseband.plan;

import java.util.Locale;

/** What the plan expects of one frequency's window when the trigger arrives (the reply's {@code predicted}). */
public enum Predicted
{
    /** Every sample is in the ring. */
    FULL,
    /** The oldest samples are already overwritten: the dump is clipped to what is left. */
    PARTIAL,
    /** Nothing is left: the frequency ends as {@code error}, reason {@code late}. */
    LATE,
    /** The window's end has not arrived yet: the dump waits for it. */
    FUTURE;

    public String jsonName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
