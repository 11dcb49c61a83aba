package org.kotekanj.sim.math;

/**
 * Orthant probabilities of the standard bivariate normal, {@code P(X > h, Y > k)} with correlation {@code r}: what
 * the exact expectation of a product of two quantised Gaussian samples is built from. The algorithm is Genz's
 * {@code bvnu} (Drezner and Wesolowsky's method with Gauss-Legendre rules, A. Genz, Statistics and Computing 14,
 * 2004), accurate to about 1e-15 absolute.
 */
public final class BivariateNormal
{
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double[] W6 = {0.1713244923791705, 0.3607615730481384, 0.4679139345726904};
    private static final double[] X6 = {0.9324695142031522, 0.6612093864662647, 0.2386191860831970};
    private static final double[] W12 = {0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
        0.2031674267230659, 0.2334925365383547, 0.2491470458134029};
    private static final double[] X12 = {0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
        0.5873179542866171, 0.3678314989981802, 0.1252334085114692};
    private static final double[] W20 = {0.01761400713915212, 0.04060142980038694, 0.06267204833410906,
        0.08327674157670475, 0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
        0.1491729864726037, 0.1527533871307259};
    private static final double[] X20 = {0.9931285991850949, 0.9639719272779138, 0.9122344282513259,
        0.8391169718222188, 0.7463319064601508, 0.6360536807265150, 0.5108670019508271, 0.3737060887154196,
        0.2277858511416451, 0.07652652113349733};

    private BivariateNormal()
    {
    }

    /** {@code P(X > h, Y > k)} for standard normals with correlation {@code r} in [-1, 1]. */
    public static double upperOrthant(final double h, final double k, final double r)
    {
        if (r == 0.0)
        {
            return NormalDistribution.upperTail(h) * NormalDistribution.upperTail(k);
        }
        final double abs = Math.abs(r);
        final double[] w = abs < 0.3 ? W6 : abs < 0.75 ? W12 : W20;
        final double[] x = abs < 0.3 ? X6 : abs < 0.75 ? X12 : X20;
        final double p = abs < 0.925 ? moderate(h, k, r, w, x) : strong(h, k, r, w, x);
        return Math.max(0.0, Math.min(1.0, p));
    }

    /** Integrates the density along the correlation from 0 to r (Plackett's identity). */
    private static double moderate(final double h, final double k, final double r, final double[] w,
        final double[] x)
    {
        final double hk = h * k;
        final double hs = (h * h + k * k) / 2.0;
        final double asr = Math.asin(r) / 2.0;
        double sum = 0.0;
        for (int i = 0; i < w.length; i++)
        {
            for (int side = -1; side <= 1; side += 2)
            {
                final double sn = Math.sin(asr * (1.0 + side * x[i]));
                sum += w[i] * Math.exp((sn * hk - hs) / (1.0 - sn * sn));
            }
        }
        return sum * asr / TWO_PI + NormalDistribution.upperTail(h) * NormalDistribution.upperTail(k);
    }

    /** Near |r| = 1: integrates from the singular end, with an asymptotic correction (Drezner and Wesolowsky). */
    private static double strong(final double h, final double kIn, final double r, final double[] w,
        final double[] x)
    {
        final double k = r < 0 ? -kIn : kIn;
        final double hk = h * k;
        double bvn = 0.0;
        if (Math.abs(r) < 1.0)
        {
            final double as = (1.0 - r) * (1.0 + r);
            double a = Math.sqrt(as);
            final double bs = (h - k) * (h - k);
            final double c = (4.0 - hk) / 8.0;
            final double d = (12.0 - hk) / 80.0;
            final double asr = -(bs / as + hk) / 2.0;
            if (asr > -100.0)
            {
                bvn = a * Math.exp(asr) * (1.0 - c * (bs - as) * (1.0 - d * bs) / 3.0 + c * d * as * as);
            }
            if (hk > -100.0)
            {
                final double b = Math.sqrt(bs);
                final double sp = Math.sqrt(TWO_PI) * NormalDistribution.cdf(-b / a);
                bvn -= Math.exp(-hk / 2.0) * sp * b * (1.0 - c * bs * (1.0 - d * bs) / 3.0);
            }
            a /= 2.0;
            double sum = 0.0;
            for (int i = 0; i < w.length; i++)
            {
                for (int side = -1; side <= 1; side += 2)
                {
                    final double xs = a * (1.0 + side * x[i]) * a * (1.0 + side * x[i]);
                    final double asr2 = -(bs / xs + hk) / 2.0;
                    if (asr2 > -100.0)
                    {
                        final double sp = 1.0 + c * xs * (1.0 + 5.0 * d * xs);
                        final double rs = Math.sqrt(1.0 - xs);
                        final double ep = Math.exp(-(hk / 2.0) * xs / ((1.0 + rs) * (1.0 + rs))) / rs;
                        sum += w[i] * Math.exp(asr2) * (sp - ep);
                    }
                }
            }
            bvn = (a * sum - bvn) / TWO_PI;
        }
        if (r > 0)
        {
            return bvn + NormalDistribution.upperTail(Math.max(h, k));
        }
        if (h >= k)
        {
            return -bvn;
        }
        final double between = h < 0 ? NormalDistribution.cdf(k) - NormalDistribution.cdf(h) :
            NormalDistribution.upperTail(h) - NormalDistribution.upperTail(k);
        return between - bvn;
    }
}
