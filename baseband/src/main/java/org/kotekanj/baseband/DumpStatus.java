package org.kotekanj.baseband;

import java.util.Locale;

/** The status of one (event, frequency) dump, as {@code GET /baseband} reports it. */
public enum DumpStatus
{
    WAITING, INPROGRESS, DONE, PARTIAL, ERROR;

    public boolean isFinal()
    {
        return this == DONE || this == PARTIAL || this == ERROR;
    }

    public String jsonName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
