package org.kotekanj.baseband.plan;

/**
 * The plan of one frequency of an event: the window the formula asks for, what the ring can give
 * ({@code planned}, the requested window clipped at the oldest sample), and the prediction.
 *
 * @param freqIndex the frequency's index in the node's frames.
 */
public record FreqPlan(int freqIndex, int freqId, double freqMhz, SampleRange requested, SampleRange planned,
    Predicted predicted, String fileName, long expectedBytes)
{
}
