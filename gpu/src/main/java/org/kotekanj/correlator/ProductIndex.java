package org.kotekanj.correlator;

/**
 * The product order of the correlator output contract ({@code shared/specs/visibilities.md}): for inputs
 * {@code a <= b}, row-major over the upper triangle, {@code (0,0), (0,1), ..., (0,N-1), (1,1), ..., (N-1,N-1)}, so
 * {@code prod(a, b) = a·N - a(a-1)/2 + (b - a)} and there are {@code N(N+1)/2} products including autos. Kernels may
 * use any internal layout; every output converts to this one.
 */
public final class ProductIndex
{
    /** Products are indexed by u16 input numbers in {@code index_map/prod}. */
    public static final int MAX_INPUTS = 1 << 16;

    private ProductIndex()
    {
    }

    /** {@code N(N+1)/2}. */
    public static long count(final int numInputs)
    {
        return (long)numInputs * (numInputs + 1) / 2;
    }

    /** The index of product {@code (a, b)}, {@code 0 <= a <= b < numInputs}. */
    public static long of(final int a, final int b, final int numInputs)
    {
        if (a < 0 || a > b || b >= numInputs)
        {
            throw new IllegalArgumentException("a product needs 0 <= a <= b < " + numInputs + ": (" + a + ", " + b +
                ")");
        }
        return (long)a * numInputs - (long)a * (a - 1) / 2 + (b - a);
    }

    /** The inputs {@code {a, b}} of a product index (for reports; not for hot loops). */
    public static int[] inputs(final long prod, final int numInputs)
    {
        if (prod < 0 || prod >= count(numInputs))
        {
            throw new IllegalArgumentException("product " + prod + " out of range for " + numInputs + " inputs");
        }
        long rowStart = 0;
        for (int a = 0; a < numInputs; a++)
        {
            final long rowLength = numInputs - a;
            if (prod < rowStart + rowLength)
            {
                return new int[] {a, (int)(a + prod - rowStart)};
            }
            rowStart += rowLength;
        }
        throw new IllegalStateException("unreachable: product " + prod);
    }
}
