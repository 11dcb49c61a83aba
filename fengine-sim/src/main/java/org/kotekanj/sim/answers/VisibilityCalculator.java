package org.kotekanj.sim.answers;

import org.kotekanj.correlator.ProductIndex;
import org.kotekanj.sim.signal.FrbSignal;
import org.kotekanj.sim.signal.GaussianSignal;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.WalshSignal;

/**
 * Expected visibilities of a simulated signal for any frequency and span of samples, by the cheapest exact method
 * the signal allows:
 *
 * <ul>
 *   <li>walsh: the closed form over aligned blocks ({@link WalshVisibilities});</li>
 *   <li>gaussian: the analytic mean with a tolerance ({@link GaussianVisibilities}), unless brute force is asked
 *       for, which gives the exact sums of the realised samples;</li>
 *   <li>frb: the base signal's method where the span misses the pulse, brute force where it overlaps;</li>
 *   <li>any signal that repeats (const, onehot, ramp, tpluse): one period of brute force times the number of whole
 *       periods, plus the remainder;</li>
 *   <li>anything else (random): brute force over every sample.</li>
 * </ul>
 *
 * Every method but the gaussian mean is exact: bit for bit what a correct correlator outputs.
 */
public final class VisibilityCalculator
{
    private final SampleSignal signal;
    private final int numInputs;
    private final boolean bruteForce;
    private final BruteForceCorrelator correlator;
    private GaussianVisibilities gaussian;
    private VisibilityCalculator base;

    /**
     * @param bruteForce correlate every sample even where a closed form or a statistical mean exists.
     */
    public VisibilityCalculator(final SampleSignal signal, final int numInputs, final boolean bruteForce)
    {
        if (numInputs < 1)
        {
            throw new IllegalArgumentException("need at least one input: " + numInputs);
        }
        this.signal = signal;
        this.numInputs = numInputs;
        this.bruteForce = bruteForce;
        this.correlator = new BruteForceCorrelator(numInputs);
    }

    public int numInputs()
    {
        return numInputs;
    }

    /** The visibilities of {@code freqId} summed over samples {@code [firstSeq, firstSeq + count)}. */
    public ExpectedVisibility expected(final int freqId, final long firstSeq, final long count)
    {
        if (!bruteForce)
        {
            if (signal instanceof FrbSignal frb && !frb.overlaps(freqId, firstSeq, count))
            {
                return base(frb.base()).expected(freqId, firstSeq, count);
            }
            if (signal instanceof WalshSignal walsh)
            {
                return WalshVisibilities.expected(walsh, numInputs, freqId, firstSeq, count);
            }
            if (signal instanceof GaussianSignal gaussianSignal)
            {
                if (gaussian == null)
                {
                    gaussian = new GaussianVisibilities(gaussianSignal, numInputs);
                }
                return gaussian.expected(freqId, count);
            }
            final long period = signal.timePeriod(numInputs);
            if (period > 0 && count > period)
            {
                return periodic(freqId, firstSeq, count, period);
            }
        }
        final ExpectedVisibility sums = zero();
        correlator.add(signal, freqId, firstSeq, count, sums.real(), sums.imag());
        return sums;
    }

    /** Any {@code period} consecutive samples sum to the same, so: whole periods times one, plus the remainder. */
    private ExpectedVisibility periodic(final int freqId, final long firstSeq, final long count, final long period)
    {
        final ExpectedVisibility sums = zero();
        correlator.add(signal, freqId, firstSeq, period, sums.real(), sums.imag());
        final long periods = count / period;
        for (int p = 0; p < sums.real().length; p++)
        {
            sums.real()[p] *= periods;
            sums.imag()[p] *= periods;
        }
        correlator.add(signal, freqId, firstSeq + periods * period, count - periods * period, sums.real(),
            sums.imag());
        return sums;
    }

    private VisibilityCalculator base(final SampleSignal baseSignal)
    {
        if (base == null)
        {
            base = new VisibilityCalculator(baseSignal, numInputs, false);
        }
        return base;
    }

    private ExpectedVisibility zero()
    {
        final int nprod = (int)ProductIndex.count(numInputs);
        return new ExpectedVisibility(new long[nprod], new long[nprod], null);
    }
}
