package org.kotekanj.correlator.cuda;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PageSpansTest
{
    @Test
    void shouldMergeBackToBackFramesThatShareAPageIntoOneSpan()
    {
        // three visibility frames of 5000 bytes back to back from 0x10000, and one far away
        final List<long[]> spans = PageSpans.merge(List.of(new long[] {0x10000 + 5000, 0x10000 + 10000},
            new long[] {0x10000, 0x10000 + 5000}, new long[] {0x10000 + 10000, 0x10000 + 15000},
            new long[] {0x100000, 0x100000 + 4096}));
        assertEquals(2, spans.size());
        assertArrayEquals(new long[] {0x10000, 0x10000 + 4 * 4096}, spans.get(0));
        assertArrayEquals(new long[] {0x100000, 0x100000 + 4096}, spans.get(1));
    }

    @Test
    void shouldKeepPageAlignedFramesApartAndSkipEmptyRanges()
    {
        final List<long[]> spans = PageSpans.merge(List.of(new long[] {8192, 12288}, new long[] {20480, 24576},
            new long[] {40000, 40000}));
        assertEquals(2, spans.size());
        assertArrayEquals(new long[] {8192, 12288}, spans.get(0));
        assertArrayEquals(new long[] {20480, 24576}, spans.get(1));
    }
}
