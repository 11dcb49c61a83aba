package org.kotekanj.stages.placement;

/**
 * Layout of one queued placement copy, shared with the native helper's {@code kj_copy} struct: a grid of
 * {@code rows x runs} copies of {@code length} bytes. Run {@code i} of row {@code r} copies from
 * {@code src + (r * runs + i) * srcStride} to {@code dst + r * rowStride + i * runStride}. One entry describes a whole
 * packet: its payload is contiguous ({@code srcStride = length}), its runs go to the packet's frequencies
 * ({@code runStride} apart in the frame) of consecutive time samples ({@code rowStride} apart). A fill repeats one
 * source ({@code srcStride = 0}); a single run has {@code runs = rows = 1}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Source address of run 0                       |  0
 *  +---------------------------------------------------------------+
 *  |                 Destination address of run 0 (frame)          |  8
 *  +---------------------------------------------------------------+
 *  |                 Length of each run in bytes                   | 16
 *  +---------------------------------------------------------------+
 *  |                 Source stride from one run to the next        | 24
 *  +---------------------------------------------------------------+
 *  |                 Runs per row                                  | 32
 *  +---------------------------------------------------------------+
 *  |                 Destination stride between runs of a row      | 40
 *  +---------------------------------------------------------------+
 *  |                 Rows                                          | 48
 *  +---------------------------------------------------------------+
 *  |                 Destination stride between rows               | 56
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All fields are signed 64-bit, native byte order; an entry is one 64-byte cache line.
 */
public final class CopyQueueDescriptor
{
    public static final int SRC_OFFSET = 0;
    public static final int DST_OFFSET = 8;
    public static final int LENGTH_OFFSET = 16;
    public static final int SRC_STRIDE_OFFSET = 24;
    public static final int RUNS_OFFSET = 32;
    public static final int RUN_STRIDE_OFFSET = 40;
    public static final int ROWS_OFFSET = 48;
    public static final int ROW_STRIDE_OFFSET = 56;
    public static final int ENTRY_LENGTH = 64;

    private CopyQueueDescriptor()
    {
    }
}
