package org.kotekanj.baseband.plan;

/**
 * The contract's dump window of one frequency ({@code shared/specs/baseband.md}, "Dispersion"):
 *
 * <pre>
 *   d(f)       = f^-2 − f_ref^-2                      (f in GHz)
 *   τ±(f)      = k_DM · (dm ± dm_error) · d(f)
 *   start(f)   = t0 + min(τ+, τ−)          end(f) = t0 + duration + max(τ+, τ−)
 *   start_fpga = floor((start − frame0) / Δt)          end_fpga = ceil((end − frame0) / Δt)
 * </pre>
 *
 * Each delay is computed in double and rounded once to integer nanoseconds; the rest is exact {@code long}
 * arithmetic. Delays are clamped to ±{@value #MAX_DELAY_NANOS} ns (about 31 years): an absurd DM then lands far
 * outside any ring (late or too far ahead) instead of overflowing.
 */
public final class DispersionWindow
{
    /** k_DM of the contract in ms GHz² pc⁻¹ cm³. */
    public static final double K_DM = 4.148808;
    public static final long MAX_DELAY_NANOS = 1_000_000_000_000_000_000L;

    private DispersionWindow()
    {
    }

    /** τ for {@code dm} at {@code freqMhz} relative to {@code refFreqMhz}, in nanoseconds (rounded once, clamped). */
    public static long delayNanos(final double kDm, final double dm, final double freqMhz, final double refFreqMhz)
    {
        final double ghz = freqMhz * 1e-3;
        final double refGhz = refFreqMhz * 1e-3;
        final double nanos = kDm * 1e6 * dm * (1.0 / (ghz * ghz) - 1.0 / (refGhz * refGhz));
        if (Double.isNaN(nanos))
        {
            return 0;
        }
        return Math.round(Math.clamp(nanos, -MAX_DELAY_NANOS, MAX_DELAY_NANOS));
    }

    /**
     * The window {@code [start_fpga, end_fpga)} of one frequency.
     *
     * @param t0Nanos the burst's arrival at the reference frequency, in ns after sample 0 ({@code start - frame0}).
     */
    public static SampleRange of(final long t0Nanos, final long durationNanos, final double kDm, final double dm,
        final double dmError, final double freqMhz, final double refFreqMhz, final long samplePeriodNs)
    {
        final long plus = delayNanos(kDm, dm + dmError, freqMhz, refFreqMhz);
        final long minus = delayNanos(kDm, dm - dmError, freqMhz, refFreqMhz);
        final long start = t0Nanos + Math.min(plus, minus);
        final long end = t0Nanos + durationNanos + Math.max(plus, minus);
        return new SampleRange(Math.floorDiv(start, samplePeriodNs), -Math.floorDiv(-end, samplePeriodNs));
    }
}
