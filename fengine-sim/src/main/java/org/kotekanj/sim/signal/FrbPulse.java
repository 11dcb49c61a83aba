package org.kotekanj.sim.signal;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;

/**
 * Where and when a simulated fast radio burst is: it arrives at the reference frequency at sample {@code t0Seq} and
 * at frequency {@code f} after the cold-plasma delay of the baseband spec,
 *
 * <pre>
 *   t(f) = t0 + k_DM · DM · (f^-2 - f_ref^-2)        (f in GHz, k_DM = 4.148808 ms GHz²)
 * </pre>
 *
 * lasting {@code widthSamples}. The delay is computed in double, rounded once to integer nanoseconds and floored to
 * a sample, exactly as a node plans the dump window of a trigger, so a trigger built from these parameters
 * ({@code trigger.FrbTriggerRequest}) asks for a window that holds the whole pulse at every frequency.
 */
public record FrbPulse(long t0Seq, double dm, long widthSamples, int amplitude, double refFreqMhz, double kDm,
    long samplePeriodNs)
{
    /** k_DM in ms GHz² pc^-1 cm³. */
    public static final double K_DM = 4.148808;

    public FrbPulse
    {
        if (widthSamples < 1 || amplitude < 1 || amplitude > SampleByte.MAX || samplePeriodNs < 1 ||
            !(refFreqMhz > 0) || !(dm >= 0))
        {
            throw new IllegalArgumentException("an FRB needs width >= 1, amplitude 1..7, dm >= 0, a positive " +
                "reference frequency and sample period");
        }
    }

    static FrbPulse read(final StageConfig signal, final PacketGeometry geometry)
    {
        return new FrbPulse(signal.getLong("t0_seq", 0),
            SignalKeys.atLeast(signal, "dm", 100.0, 0.0),
            SignalKeys.intIn(signal, "width_samples", 1024, 1, Integer.MAX_VALUE),
            SignalKeys.intIn(signal, "amplitude", 3, 1, SampleByte.MAX),
            SignalKeys.atLeast(signal, "ref_freq_mhz", 400.0, Double.MIN_VALUE),
            SignalKeys.atLeast(signal, "k_dm", K_DM, 0.0),
            geometry.samplePeriodNs());
    }

    /** Dispersion delay at {@code freqMhz} relative to the reference frequency, in integer nanoseconds. */
    public long delayNanos(final double freqMhz)
    {
        final double ghz = freqMhz * 1e-3;
        final double refGhz = refFreqMhz * 1e-3;
        return Math.round(kDm * 1e6 * dm * (1.0 / (ghz * ghz) - 1.0 / (refGhz * refGhz)));
    }

    /** First sample of the pulse at {@code freqMhz}. */
    public long startSeq(final double freqMhz)
    {
        return t0Seq + Math.floorDiv(delayNanos(freqMhz), samplePeriodNs);
    }

    /** Duration at the reference frequency in nanoseconds, as a trigger's {@code duration_nano}. */
    public long durationNanos()
    {
        return widthSamples * samplePeriodNs;
    }
}
