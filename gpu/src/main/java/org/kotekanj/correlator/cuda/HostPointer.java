package org.kotekanj.correlator.cuda;

import jcuda.Pointer;

/**
 * A JCuda {@link Pointer} to native memory by address: the mmapped frames of the buffers (sizes beyond 2 GiB
 * included), which no {@link java.nio.ByteBuffer} could wrap. Made once per registered frame, never per copy.
 */
final class HostPointer extends Pointer
{
    HostPointer(final long address)
    {
        super(address);
    }
}
