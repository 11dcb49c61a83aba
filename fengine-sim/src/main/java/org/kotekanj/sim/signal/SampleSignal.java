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
     * {@code dst} at {@code offset}: one packet run. Implementations override this with a fast path.
     */
    default void fill(final long seq, final int freqId, final int firstInput, final int count, final MemorySegment dst,
        final long offset)
    {
        for (int i = 0; i < count; i++)
        {
            dst.set(JAVA_BYTE, offset + i, sample(seq, freqId, firstInput + i));
        }
    }
}
