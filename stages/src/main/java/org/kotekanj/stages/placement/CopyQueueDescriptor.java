package org.kotekanj.stages.placement;

/**
 * Layout of one queued placement copy, shared with the native helper's {@code kj_copy} struct.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Source address (packet payload run)           |  0
 *  +---------------------------------------------------------------+
 *  |                 Destination address (frame)                   |  8
 *  +---------------------------------------------------------------+
 *  |                 Length in bytes                               | 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CopyQueueDescriptor
{
    public static final int SRC_OFFSET = 0;
    public static final int DST_OFFSET = 8;
    public static final int LENGTH_OFFSET = 16;
    public static final int ENTRY_LENGTH = 24;

    private CopyQueueDescriptor()
    {
    }
}
