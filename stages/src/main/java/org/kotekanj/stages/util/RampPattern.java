package org.kotekanj.stages.util;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The test pattern of the utility stages: byte {@code i} of frame {@code n} is {@code (n + i) mod 256}. It is periodic
 * in 256, so a frame is one bulk copy from a template starting at {@code n mod 256}, and checking it is one
 * vectorised {@link MemorySegment#mismatch}.
 */
final class RampPattern
{
    private final MemorySegment template;
    private final long frameSize;

    RampPattern(final long frameSize, final Arena arena)
    {
        this.frameSize = frameSize;
        this.template = arena.allocate(frameSize + 256, 64);
        for (long i = 0; i < template.byteSize(); i++)
        {
            template.set(JAVA_BYTE, i, (byte)i);
        }
    }

    /** The expected content of frame {@code sequence}. */
    MemorySegment frame(final long sequence)
    {
        return template.asSlice(sequence & 0xFF, frameSize);
    }
}
