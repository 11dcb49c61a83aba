package org.kotekanj.baseband.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class StagingAreaTest
{
    @Test
    void shouldReuseSpaceOnlyOnceEveryOlderSliceIsReleased()
    {
        try (StagingArea staging = new StagingArea(4 * StagingArea.ALIGNMENT))
        {
            staging.open();
            final StagingArea.Slice a = staging.allocate(StagingArea.ALIGNMENT);
            final StagingArea.Slice b = staging.allocate(StagingArea.ALIGNMENT);
            final StagingArea.Slice c = staging.allocate(2 * StagingArea.ALIGNMENT);
            assertNull(staging.allocate(1));
            // Released out of order: b and c wait behind a, which is still held (kept for a hash).
            staging.free(c);
            staging.free(b);
            assertEquals(4 * StagingArea.ALIGNMENT, staging.used());
            assertNull(staging.allocate(1));
            staging.free(a);
            assertEquals(0, staging.used());
            assertNotNull(staging.allocate(3 * StagingArea.ALIGNMENT));
        }
    }

    @Test
    void shouldStartPageAlignedAtTheBeginningOnceEverythingIsReleased()
    {
        // Chunks are rows x (inputs + 1) bytes: odd sizes. Once all are released, the next (the first chunk of the
        // next dump) must start on a page again, or its samples miss O_DIRECT.
        try (StagingArea staging = new StagingArea(64 * StagingArea.ALIGNMENT))
        {
            staging.open();
            for (int round = 0; round < 5; round++)
            {
                final StagingArea.Slice a = staging.allocate(3 * StagingArea.ALIGNMENT + 17 + round);
                final StagingArea.Slice b = staging.allocate(5 * StagingArea.ALIGNMENT + 3);
                assertEquals(0, a.segment().address() % StagingArea.ALIGNMENT, "round " + round);
                assertEquals(0, b.segment().address() % StagingArea.ALIGNMENT, "round " + round);
                staging.free(a);
                staging.free(b);
                assertEquals(0, staging.used());
            }
            // An empty area still holds a slice of its whole capacity.
            assertNotNull(staging.allocate(64 * StagingArea.ALIGNMENT));
        }
    }

    @Test
    void shouldIgnoreASecondReleaseOfTheSameSlice()
    {
        try (StagingArea staging = new StagingArea(4 * StagingArea.ALIGNMENT))
        {
            staging.open();
            final StagingArea.Slice a = staging.allocate(StagingArea.ALIGNMENT);
            final StagingArea.Slice b = staging.allocate(StagingArea.ALIGNMENT);
            staging.free(a);
            staging.free(a);
            assertEquals(StagingArea.ALIGNMENT, staging.used());
            staging.free(b);
            assertEquals(0, staging.used());
        }
    }
}
