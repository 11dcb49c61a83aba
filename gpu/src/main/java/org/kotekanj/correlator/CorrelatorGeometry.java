package org.kotekanj.correlator;

import org.kotekanj.fengine.SampleFrameLayout;

/**
 * The concluded shape of one correlator: what every backend is built for and checks its inputs against.
 *
 * <p>Sample frames are {@code [freq][time][input]} bytes ({@link SampleFrameLayout}), {@code paddedInputs} bytes per
 * time sample of which the first {@code numInputs} are real; only real inputs are correlated. An integration is
 * {@code samplesPerIntegration} consecutive samples: a multiple of {@code samplesPerFrame} (several frames per
 * integration) or a divisor of it (several integrations per frame).
 *
 * @param numFreqs              frequencies per frame (and per visibility frame).
 * @param numInputs             real inputs, {@code 1..paddedInputs}.
 * @param paddedInputs          bytes per time sample, a multiple of 128.
 * @param samplesPerFrame       time samples per sample frame.
 * @param samplesPerIntegration time samples per integration.
 */
public record CorrelatorGeometry(int numFreqs, int numInputs, int paddedInputs, int samplesPerFrame,
    long samplesPerIntegration)
{
    /** Inputs are padded to this in sample frames. */
    public static final int INPUT_PADDING = 128;

    public CorrelatorGeometry
    {
        final String problem = problem(numFreqs, numInputs, paddedInputs, samplesPerFrame, samplesPerIntegration);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why these values make no correlator (one sentence, for {@code check}), or {@code null} if they do. */
    public static String problem(final int numFreqs, final int numInputs, final int paddedInputs,
        final int samplesPerFrame, final long samplesPerIntegration)
    {
        if (numFreqs < 1 || samplesPerFrame < 1)
        {
            return "need at least one frequency and one sample per frame, found " + numFreqs + " and " +
                samplesPerFrame;
        }
        if (paddedInputs < 1 || paddedInputs % INPUT_PADDING != 0)
        {
            return "padded inputs must be a positive multiple of " + INPUT_PADDING + ", found " + paddedInputs;
        }
        if (numInputs < 1 || numInputs > paddedInputs || numInputs > ProductIndex.MAX_INPUTS)
        {
            return "num_inputs must be 1.." + Math.min(paddedInputs, ProductIndex.MAX_INPUTS) + ", found " +
                numInputs;
        }
        if (samplesPerIntegration < 1 ||
            (samplesPerIntegration % samplesPerFrame != 0 && samplesPerFrame % samplesPerIntegration != 0))
        {
            return "samples_per_integration must be a multiple or a divisor of samples_per_frame (" +
                samplesPerFrame + "), found " + samplesPerIntegration;
        }
        return null;
    }

    /** {@code N(N+1)/2} products of the real inputs, autos included. */
    public int numProducts()
    {
        return (int)ProductIndex.count(numInputs);
    }

    /** Bytes of one sample frame. */
    public long frameBytes()
    {
        return (long)numFreqs * samplesPerFrame * paddedInputs;
    }

    /** Bytes of the int64 {@code [freq][prod][re, im]} block of one integration. */
    public long visibilityBytes()
    {
        return (long)numFreqs * numProducts() * 2 * Long.BYTES;
    }
}
