package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.sim.math.NormalDeviates;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A sky signal seen by an interferometer: one common complex Gaussian signal {@code s(t, f)} per sample and
 * frequency, received by input {@code i} with a real gain {@code g_i} and a geometric phase {@code phi_i(f)}, plus
 * the input's own complex Gaussian noise, quantised to 4+4 bits:
 *
 * <pre>
 *   x_i = Q( g_i · e^{j·phi_i(f)} · s + n_i ),     Q(v) = clamp(round(v), -7, 7) on each part
 *   E|s|² = sky_sigma²,   E|n_i|² = noise_sigma²,   phi_i(f) = 2π · f · i · delay_step_ns
 * </pre>
 *
 * Inputs are an east-west line with {@code delay_step_ns} of geometric delay between neighbours. Phases are quantised
 * to 1/{@value #PHASE_STEPS} of a turn so a phase is an integer function of (freq, input) and the signal stays pure.
 * Every Gaussian draw comes from a counter-based generator ({@link NormalDeviates}), so any byte can be regenerated.
 * The pre-quantisation covariance is {@code C_ab = g_a g_b e^{j(phi_a - phi_b)} sky_sigma² + δ_ab noise_sigma²};
 * the expected quantised visibilities follow from it exactly ({@code answers.QuantisedGaussian}).
 *
 * <pre>
 * signal:
 *   type: gaussian
 *   seed: 1
 *   sky_sigma: 2.0        # rms of the common signal per complex sample
 *   noise_sigma: 2.0      # rms of each input's own noise
 *   gains: [1.0]          # per-input amplitude, repeated over the inputs
 *   delay_step_ns: 0.5    # geometric delay between neighbouring inputs
 * </pre>
 */
public final class GaussianSignal implements SampleSignal
{
    /** Phase steps per turn. */
    public static final int PHASE_STEPS = 4096;
    private static final int PHASE_SHIFT = 32 - 12;
    private static final long SKY_SALT = 0x534B_595F_5349_474EL;
    private static final double[] COS = new double[PHASE_STEPS];
    private static final double[] SIN = new double[PHASE_STEPS];

    static
    {
        for (int k = 0; k < PHASE_STEPS; k++)
        {
            COS[k] = Math.cos(2 * Math.PI * k / PHASE_STEPS);
            SIN[k] = Math.sin(2 * Math.PI * k / PHASE_STEPS);
        }
    }

    private final long seed;
    private final double skySigma;
    private final double noiseSigma;
    private final double[] gains;
    private final double delayStepNs;
    private final PacketGeometry geometry;
    private final double skyScale;
    private final double noiseScale;

    public GaussianSignal(final long seed, final double skySigma, final double noiseSigma, final double[] gains,
        final double delayStepNs, final PacketGeometry geometry)
    {
        if (!(skySigma >= 0) || !(noiseSigma >= 0) || gains.length == 0)
        {
            throw new IllegalArgumentException("gaussian needs sky_sigma >= 0, noise_sigma >= 0 and some gains");
        }
        this.seed = seed;
        this.skySigma = skySigma;
        this.noiseSigma = noiseSigma;
        this.gains = gains.clone();
        this.delayStepNs = delayStepNs;
        this.geometry = geometry;
        this.skyScale = skySigma / Math.sqrt(2);
        this.noiseScale = noiseSigma / Math.sqrt(2);
    }

    static GaussianSignal read(final StageConfig signal, final PacketGeometry geometry)
    {
        final long seed = signal.getLong("seed", 1);
        final double sky = SignalKeys.atLeast(signal, "sky_sigma", 2.0, 0.0);
        final double noise = SignalKeys.atLeast(signal, "noise_sigma", 2.0, 0.0);
        final double delay = signal.getDouble("delay_step_ns", 0.5);
        double[] gains = readGains(signal);
        if (gains.length == 0)
        {
            signal.error("gains", "needs at least one gain");
            gains = new double[] {1.0};
        }
        return new GaussianSignal(seed, sky, noise, gains, delay, geometry);
    }

    private static double[] readGains(final StageConfig signal)
    {
        if (!signal.has("gains"))
        {
            return new double[] {1.0};
        }
        final Object raw = signal.origin("gains").raw();
        final List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        final double[] gains = new double[list.size()];
        for (int i = 0; i < gains.length; i++)
        {
            if (list.get(i) instanceof Number number && number.doubleValue() >= 0 &&
                Double.isFinite(number.doubleValue()))
            {
                gains[i] = number.doubleValue();
            }
            else
            {
                signal.error("gains", "element " + i + " must be a non-negative number, found " + list.get(i));
                gains[i] = 1.0;
            }
        }
        return gains;
    }

    public double skySigma()
    {
        return skySigma;
    }

    public double noiseSigma()
    {
        return noiseSigma;
    }

    public double gain(final int input)
    {
        return gains[input % gains.length];
    }

    /** The phase of an input at a frequency, in steps of 1/{@value #PHASE_STEPS} turn. */
    public int phaseIndex(final int freqId, final int input)
    {
        return phaseOf(phaseStep(freqId), input);
    }

    /** {@code cos} of a phase index. */
    public static double cos(final int phaseIndex)
    {
        return COS[phaseIndex & (PHASE_STEPS - 1)];
    }

    /** {@code sin} of a phase index. */
    public static double sin(final int phaseIndex)
    {
        return SIN[phaseIndex & (PHASE_STEPS - 1)];
    }

    @Override
    public byte sample(final long seq, final int freqId, final int input)
    {
        final long sky = CounterHash.at(CounterHash.runKey(seed ^ SKY_SALT, seq, freqId), 0);
        return sample(skyScale * NormalDeviates.of((int)sky), skyScale * NormalDeviates.of((int)(sky >>> 32)),
            CounterHash.runKey(seed, seq, freqId), phaseStep(freqId), input, gains[input % gains.length]);
    }

    @Override
    public void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        final long sky = CounterHash.at(CounterHash.runKey(seed ^ SKY_SALT, seq, freqId), 0);
        final double skyReal = skyScale * NormalDeviates.of((int)sky);
        final double skyImag = skyScale * NormalDeviates.of((int)(sky >>> 32));
        final long key = CounterHash.runKey(seed, seq, freqId);
        final int step = phaseStep(freqId);
        int gain = firstInput % gains.length;
        for (int n = 0; n < count; n++)
        {
            dst.set(JAVA_BYTE, offset + n, sample(skyReal, skyImag, key, step, firstInput + n, gains[gain]));
            // a running index: a division per byte would cost as much as a Gaussian draw
            gain = gain + 1 == gains.length ? 0 : gain + 1;
        }
    }

    /** One input's byte, given the run's sky sample: the single definition both paths share. */
    private byte sample(final double skyReal, final double skyImag, final long key, final int step, final int input,
        final double g)
    {
        final long noise = CounterHash.at(key, input);
        final int phase = phaseOf(step, input);
        final double c = COS[phase];
        final double s = SIN[phase];
        final double real = g * (c * skyReal - s * skyImag) + noiseScale * NormalDeviates.of((int)noise);
        final double imag = g * (c * skyImag + s * skyReal) + noiseScale * NormalDeviates.of((int)(noise >>> 32));
        return SampleByte.of(quantise(real), quantise(imag));
    }

    /** Turns of phase per input at a frequency, as a 32-bit fraction of a turn. */
    private int phaseStep(final int freqId)
    {
        final double turns = geometry.freqMhz(freqId) * delayStepNs * 1e-3;
        return (int)Math.round((turns - Math.floor(turns)) * 0x1p32);
    }

    private static int phaseOf(final int step, final int input)
    {
        return (input * step + (1 << (PHASE_SHIFT - 1))) >>> PHASE_SHIFT;
    }

    /** Rounds half up, like {@code Math.round}, through the floor intrinsic; then clips to -7..7. */
    private static int quantise(final double value)
    {
        return (int)Math.max(-SampleByte.MAX, Math.min(SampleByte.MAX, Math.floor(value + 0.5)));
    }
}
