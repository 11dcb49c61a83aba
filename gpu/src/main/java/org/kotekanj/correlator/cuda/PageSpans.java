package org.kotekanj.correlator.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The page-aligned, non-overlapping spans that cover a set of address ranges. {@code cuMemHostRegister} pins whole
 * pages and refuses a page twice, while frames of one buffer lie back to back and need not end on a page boundary
 * (visibility frames rarely do): so the frames are registered as the merged spans of their pages.
 */
final class PageSpans
{
    static final long PAGE = 4096;

    private PageSpans()
    {
    }

    /** {@code [start, end)} ranges in, the sorted page-aligned spans covering them out (touching spans merge). */
    static List<long[]> merge(final List<long[]> ranges)
    {
        final List<long[]> pages = new ArrayList<>();
        for (final long[] range : ranges)
        {
            if (range[1] > range[0])
            {
                pages.add(new long[] {range[0] & -PAGE, (range[1] + PAGE - 1) & -PAGE});
            }
        }
        pages.sort(Comparator.comparingLong(span -> span[0]));
        final List<long[]> merged = new ArrayList<>();
        for (final long[] span : pages)
        {
            final long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span[0] <= last[1])
            {
                last[1] = Math.max(last[1], span[1]);
            }
            else
            {
                merged.add(span.clone());
            }
        }
        return merged;
    }
}
