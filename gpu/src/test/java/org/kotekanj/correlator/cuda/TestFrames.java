package org.kotekanj.correlator.cuda;

import java.util.SplittableRandom;

/**
 * Sample frames ({@code [freq][time][paddedInputs]} 4+4-bit bytes) for the kernel tests: what real data looks like
 * and the cases that break kernels (extremes, one-hot pairs, lost samples, padding full of garbage).
 */
enum TestFrames
{
    /** Every byte value, including 0x00 (-8 - 8i), which the spec forbids but broken F-engines send. */
    RANDOM,
    /** Only +7, -8 in each part: the largest products and the two's complement corner. */
    EXTREMES,
    /** Two inputs per frequency carry signal, every other input is zero: a wrong index moves it visibly. */
    ONE_HOT,
    /** Random data with lost samples as the receiver writes them: whole time rows and single cells of 0x88. */
    LOST;

    static final byte ZERO = (byte)0x88;

    byte[] frame(final int numFreqs, final int samplesPerFrame, final int numInputs, final int paddedInputs,
        final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] frame = new byte[numFreqs * samplesPerFrame * paddedInputs];
        for (int f = 0; f < numFreqs; f++)
        {
            final int hotA = random.nextInt(numInputs);
            final int hotB = random.nextInt(numInputs);
            for (int t = 0; t < samplesPerFrame; t++)
            {
                final boolean lostRow = this == LOST && random.nextInt(16) == 0;
                final int row = (f * samplesPerFrame + t) * paddedInputs;
                for (int n = 0; n < paddedInputs; n++)
                {
                    final byte value;
                    if (n >= numInputs)
                    {
                        value = (byte)random.nextInt(256);   // padding: must never reach an output
                    }
                    else
                    {
                        value = switch (this)
                        {
                            case RANDOM -> (byte)random.nextInt(256);
                            case EXTREMES -> (byte)(new int[] {0x00, 0x0F, 0xF0, 0xFF}[random.nextInt(4)]);
                            case ONE_HOT -> n == hotA || n == hotB ? (byte)random.nextInt(256) : ZERO;
                            case LOST -> lostRow || random.nextInt(50) == 0 ? ZERO : (byte)random.nextInt(256);
                        };
                    }
                    frame[row + n] = value;
                }
            }
        }
        return frame;
    }
}
