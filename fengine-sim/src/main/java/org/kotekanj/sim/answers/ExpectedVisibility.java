package org.kotekanj.sim.answers;

/**
 * The expected visibilities of one frequency over one integration, in the product order of the output contract:
 * integer sums {@code real[prod]}, {@code imag[prod]} and, where the expectation is statistical, the allowed
 * |difference| of each part ({@code tolerance[prod]}; {@code null} when the sums are exact).
 */
public record ExpectedVisibility(long[] real, long[] imag, double[] tolerance)
{
    public boolean isExact()
    {
        return tolerance == null;
    }

    /** True if {@code (re, im)} of product {@code prod} agrees with the expectation. */
    public boolean accepts(final int prod, final long re, final long im)
    {
        if (tolerance == null)
        {
            return re == real[prod] && im == imag[prod];
        }
        return Math.abs((double)re - real[prod]) <= tolerance[prod] &&
            Math.abs((double)im - imag[prod]) <= tolerance[prod];
    }
}
