package org.kotekanj.sim.signal;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A simulated F-engine signal: a pure function of (absolute sample counter, freq_id, input) to a 4+4-bit offset-binary
 * byte (high nibble real, low nibble imaginary, value = nibble - 8, never -8). Because it is pure, any byte of any
 * packet, frame or baseband dump can be re-derived by a checker without storing what was sent.
 */
public interface SampleSignal
{
    byte sample(long seq, int freqId, int input);

    /**
     * Writes the samples of inputs {@code [firstInput, firstInput + count)} at ({@code seq}, {@code freqId}) to
     * {@code dst} at {@code offset}: one packet run. Implementations override this with a fast path that writes
     * exactly the bytes {@link #sample} gives.
     */
    default void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        for (int i = 0; i < count; i++)
        {
            dst.set(JAVA_BYTE, offset + i, sample(seq, freqId, firstInput + i));
        }
    }

    /**
     * The period in samples with which the signal of inputs {@code [0, numInputs)} repeats, whatever seq it starts
     * from, or 0 if it does not repeat. Expected visibilities of a periodic signal over any span cost at most two
     * periods of brute-force correlation.
     */
    default long timePeriod(final int numInputs)
    {
        return 0;
    }
}
