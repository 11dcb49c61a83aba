package org.kotekanj.sim.answers;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The outcome of comparing a file with its expected answers: how many values were checked, skipped (where the file
 * says data were lost, so no exact answer exists) and different, and the first differences in file order. Collected
 * while comparing; at most {@code maxReports} differences are kept.
 */
public final class Verification
{
    private final String what;
    private final int maxReports;
    private final List<String> differences = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long checked;
    private long skipped;
    private long different;

    public Verification(final String what, final int maxReports)
    {
        this.what = what;
        this.maxReports = maxReports;
    }

    void checked(final long count)
    {
        checked += count;
    }

    void skipped(final long count)
    {
        skipped += count;
    }

    /** Counts a difference; builds its description only while fewer than {@code maxReports} are kept. */
    void different(final Supplier<String> description)
    {
        different++;
        if (differences.size() < maxReports)
        {
            differences.add(description.get());
        }
    }

    void note(final String note)
    {
        notes.add(note);
    }

    public boolean passed()
    {
        return different == 0;
    }

    long skippedCount()
    {
        return skipped;
    }

    public void print(final PrintWriter out)
    {
        for (final String note : notes)
        {
            out.println("note: " + note);
        }
        for (final String difference : differences)
        {
            out.println("differs: " + difference);
        }
        if (different > differences.size())
        {
            out.println("... and " + (different - differences.size()) + " more differences");
        }
        out.println(what + ": " + (passed() ? "OK" : "DIFFERENT") + " - " + checked + " checked, " + different +
            " different, " + skipped + " skipped");
    }
}
