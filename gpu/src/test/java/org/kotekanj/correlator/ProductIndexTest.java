package org.kotekanj.correlator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProductIndexTest
{
    @Test
    void shouldNumberTheUpperTriangleRowMajor()
    {
        for (final int n : new int[] {1, 2, 3, 16, 37})
        {
            long expected = 0;
            for (int a = 0; a < n; a++)
            {
                for (int b = a; b < n; b++)
                {
                    assertEquals(expected, ProductIndex.of(a, b, n), "(" + a + ", " + b + ") of " + n);
                    assertArrayEquals(new int[] {a, b}, ProductIndex.inputs(expected, n));
                    expected++;
                }
            }
            assertEquals(expected, ProductIndex.count(n));
        }
    }

    @Test
    void shouldFitCHIMESizesWithoutOverflow()
    {
        assertEquals(2_098_176, ProductIndex.count(2048));
        assertEquals(2_098_175, ProductIndex.of(2047, 2047, 2048));
        assertEquals(2_147_516_416L, ProductIndex.count(ProductIndex.MAX_INPUTS));
    }

    @Test
    void shouldRejectTheLowerTriangle()
    {
        assertThrows(IllegalArgumentException.class, () -> ProductIndex.of(3, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> ProductIndex.of(0, 4, 4));
    }
}
