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
