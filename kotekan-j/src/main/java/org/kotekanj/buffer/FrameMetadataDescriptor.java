package org.kotekanj.buffer;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Layout of the per-frame metadata of sample frames ({@code [freq][time][input]} 4+4-bit data), kind
 * {@value #KIND}. It travels with each frame in an off-heap slot, written without allocation by the producer.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   First sample counter (seq)                  |  0
 *  +---------------------------------------------------------------+
 *  |            Arrival time of first packet, unix ns              |  8
 *  +---------------------------------------------------------------+
 *  |       Lost (time sample, freq, input block) cells             | 16
 *  +---------------------------------------------------------------+
 *  |  Time samples            |  Frequencies                       | 24
 *  |  Inputs (padded)         |  Input blocks                      | 32
 *  |  Samples per flag row    |  Flag rows                         | 40
 *  |  Streams                 |  Frame flags                       | 48
 *  |  Freq id offset          |  Stream id offset                  | 56
 *  |  Presence map offset     |  Seq offset offset                 | 64
 *  +---------------------------------------------------------------+
 *  |  freq_id[frequencies]               (int each)               ...
 *  |  stream_id[streams]                 (short each)             ...
 *  |  seq_offset[streams]                (long each, 8-aligned)   ...
 *  |  present[flag rows][frequencies][input blocks]  (byte, 1 = data, 0 = lost and filled with 0x88)
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A flag row covers {@code samples per flag row} consecutive time samples (the packet length), so the presence map is
 * one byte per packet-sized cell, as in spead2's chunk presence arrays.
 *
 * <p>{@code first seq} is on the receiver's timeline. A stream that reset or jumped is re-aligned onto that timeline
 * by a whole number of frames: its samples at frame time {@code t} carry the F-engine counter
 * {@code first seq + t - seq_offset[stream]} ({@link #seqOffset}). The offset is 0 for a stream that never moved;
 * frames holding data of a stream with a non-zero offset carry {@link #FLAG_REALIGNED}.
 */
public final class FrameMetadataDescriptor
{
    public static final String KIND = "SampleMetadata";
    public static final int FIRST_SEQ_OFFSET = 0;
    public static final int ARRIVAL_NS_OFFSET = 8;
    public static final int LOST_CELLS_OFFSET = 16;
    public static final int NUM_TIME_OFFSET = 24;
    public static final int NUM_FREQ_OFFSET = 28;
    public static final int NUM_INPUTS_OFFSET = 32;
    public static final int NUM_BLOCKS_OFFSET = 36;
    public static final int SAMPLES_PER_ROW_OFFSET = 40;
    public static final int NUM_ROWS_OFFSET = 44;
    public static final int NUM_STREAMS_OFFSET = 48;
    public static final int FLAGS_OFFSET = 52;
    public static final int FREQ_IDS_OFFSET_OFFSET = 56;
    public static final int STREAM_IDS_OFFSET_OFFSET = 60;
    public static final int PRESENCE_OFFSET_OFFSET = 64;
    public static final int SEQ_OFFSETS_OFFSET_OFFSET = 68;
    public static final int HEADER_LENGTH = 72;
    public static final int MIN_LENGTH = 64;

    /** Frame flag: the F-engine reset (large backwards seq jump) while this frame was open. */
    public static final int FLAG_RESET = 1;
    /** Frame flag: some samples were dropped because no downstream frame was free. */
    public static final int FLAG_BACKPRESSURE = 2;
    /**
     * Frame flag: some stream's samples are re-aligned after a reset or jump ({@code seq_offset} of that stream is not
     * 0): its F-engine counter is not the frame's time ({@link #seqOffset}).
     */
    public static final int FLAG_REALIGNED = 4;

    private FrameMetadataDescriptor()
    {
    }

    public static int freqIdsOffset()
    {
        return HEADER_LENGTH;
    }

    public static int streamIdsOffset(final int numFreq)
    {
        return HEADER_LENGTH + 4 * numFreq;
    }

    public static int seqOffsetsOffset(final int numFreq, final int numStreams)
    {
        return (streamIdsOffset(numFreq) + 2 * numStreams + 7) & ~7;
    }

    public static int presenceOffset(final int numFreq, final int numStreams)
    {
        return seqOffsetsOffset(numFreq, numStreams) + 8 * numStreams;
    }

    /** Bytes needed for a frame of this shape. */
    public static int length(final int numFreq, final int numStreams, final int numRows, final int numBlocks)
    {
        final long total = (long)presenceOffset(numFreq, numStreams) + (long)numRows * numFreq * numBlocks;
        if (total > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("metadata of " + total + " bytes is too large");
        }
        return (int)total;
    }

    /** Writes the shape fields and offsets; called once per slot when a producer starts. */
    public static void initialise(final MemorySegment m, final int numTime, final int numFreq, final int numInputs,
        final int numBlocks, final int samplesPerRow, final int numStreams)
    {
        m.set(JAVA_INT_UNALIGNED, NUM_TIME_OFFSET, numTime);
        m.set(JAVA_INT_UNALIGNED, NUM_FREQ_OFFSET, numFreq);
        m.set(JAVA_INT_UNALIGNED, NUM_INPUTS_OFFSET, numInputs);
        m.set(JAVA_INT_UNALIGNED, NUM_BLOCKS_OFFSET, numBlocks);
        m.set(JAVA_INT_UNALIGNED, SAMPLES_PER_ROW_OFFSET, samplesPerRow);
        m.set(JAVA_INT_UNALIGNED, NUM_ROWS_OFFSET, numTime / samplesPerRow);
        m.set(JAVA_INT_UNALIGNED, NUM_STREAMS_OFFSET, numStreams);
        m.set(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET, freqIdsOffset());
        m.set(JAVA_INT_UNALIGNED, STREAM_IDS_OFFSET_OFFSET, streamIdsOffset(numFreq));
        m.set(JAVA_INT_UNALIGNED, PRESENCE_OFFSET_OFFSET, presenceOffset(numFreq, numStreams));
        m.set(JAVA_INT_UNALIGNED, SEQ_OFFSETS_OFFSET_OFFSET, seqOffsetsOffset(numFreq, numStreams));
    }

    public static long firstSeq(final MemorySegment m)
    {
        return m.get(JAVA_LONG_UNALIGNED, FIRST_SEQ_OFFSET);
    }

    public static void firstSeq(final MemorySegment m, final long seq)
    {
        m.set(JAVA_LONG_UNALIGNED, FIRST_SEQ_OFFSET, seq);
    }

    public static long arrivalNanos(final MemorySegment m)
    {
        return m.get(JAVA_LONG_UNALIGNED, ARRIVAL_NS_OFFSET);
    }

    public static void arrivalNanos(final MemorySegment m, final long nanos)
    {
        m.set(JAVA_LONG_UNALIGNED, ARRIVAL_NS_OFFSET, nanos);
    }

    public static long lostCells(final MemorySegment m)
    {
        return m.get(JAVA_LONG_UNALIGNED, LOST_CELLS_OFFSET);
    }

    public static void lostCells(final MemorySegment m, final long cells)
    {
        m.set(JAVA_LONG_UNALIGNED, LOST_CELLS_OFFSET, cells);
    }

    public static int numTime(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_TIME_OFFSET);
    }

    public static int numFreq(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_FREQ_OFFSET);
    }

    public static int numInputs(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_INPUTS_OFFSET);
    }

    public static int numBlocks(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_BLOCKS_OFFSET);
    }

    public static int samplesPerRow(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, SAMPLES_PER_ROW_OFFSET);
    }

    public static int numRows(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_ROWS_OFFSET);
    }

    public static int numStreams(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, NUM_STREAMS_OFFSET);
    }

    public static int flags(final MemorySegment m)
    {
        return m.get(JAVA_INT_UNALIGNED, FLAGS_OFFSET);
    }

    public static void flags(final MemorySegment m, final int flags)
    {
        m.set(JAVA_INT_UNALIGNED, FLAGS_OFFSET, flags);
    }

    public static int freqId(final MemorySegment m, final int freq)
    {
        return m.get(JAVA_INT_UNALIGNED, m.get(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET) + 4L * freq);
    }

    public static void freqId(final MemorySegment m, final int freq, final int freqId)
    {
        m.set(JAVA_INT_UNALIGNED, m.get(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET) + 4L * freq, freqId);
    }

    public static int streamId(final MemorySegment m, final int stream)
    {
        return m.get(JAVA_SHORT_UNALIGNED, m.get(JAVA_INT_UNALIGNED, STREAM_IDS_OFFSET_OFFSET) + 2L * stream) & 0xFFFF;
    }

    public static void streamId(final MemorySegment m, final int stream, final int streamId)
    {
        m.set(JAVA_SHORT_UNALIGNED, m.get(JAVA_INT_UNALIGNED, STREAM_IDS_OFFSET_OFFSET) + 2L * stream,
            (short)streamId);
    }

    /** Byte offset in the metadata of a stream's {@code seq_offset}. */
    private static long seqOffsetIndex(final MemorySegment m, final int stream)
    {
        return m.get(JAVA_INT_UNALIGNED, SEQ_OFFSETS_OFFSET_OFFSET) + 8L * stream;
    }

    /** Samples the receiver added to a stream's F-engine counter to place it on this frame's timeline (0: none). */
    public static long seqOffset(final MemorySegment m, final int stream)
    {
        return m.get(JAVA_LONG_UNALIGNED, seqOffsetIndex(m, stream));
    }

    public static void seqOffset(final MemorySegment m, final int stream, final long offset)
    {
        m.set(JAVA_LONG_UNALIGNED, seqOffsetIndex(m, stream), offset);
    }

    /** Byte offset of the presence cell for (flag row, freq, input block). */
    public static long presenceIndex(final MemorySegment m, final int row, final int freq, final int block)
    {
        return m.get(JAVA_INT_UNALIGNED, PRESENCE_OFFSET_OFFSET) +
            ((long)row * numFreq(m) + freq) * numBlocks(m) + block;
    }

    public static boolean present(final MemorySegment m, final int row, final int freq, final int block)
    {
        return m.get(JAVA_BYTE, presenceIndex(m, row, freq, block)) != 0;
    }

    /** The presence map as one slice ({@code [rows][freqs][blocks]}), for bulk clearing and scanning. */
    public static MemorySegment presenceMap(final MemorySegment m)
    {
        final long offset = m.get(JAVA_INT_UNALIGNED, PRESENCE_OFFSET_OFFSET);
        return m.asSlice(offset, (long)numRows(m) * numFreq(m) * numBlocks(m));
    }

    /** Time samples of one frequency for which any input block is lost (what a correlator reports per freq). */
    public static long lostSamples(final MemorySegment m, final int freq)
    {
        return lostSamples(m, freq, 0, numTime(m));
    }

    /**
     * Time samples {@code [from, to)} of one frequency for which any input block is lost: the correlator's lost count
     * of a frame range and the baseband dump's, from the same arithmetic.
     */
    public static long lostSamples(final MemorySegment m, final int freq, final int from, final int to)
    {
        final int perRow = samplesPerRow(m);
        final int rows = numRows(m);
        long lost = 0;
        for (int row = from / perRow; row < rows && row * perRow < to; row++)
        {
            if (!rowPresent(m, row, freq))
            {
                lost += Math.min(to, (row + 1) * perRow) - Math.max(from, row * perRow);
            }
        }
        return lost;
    }

    /** Whether every input block of one frequency is present in a flag row (its time samples are whole). */
    public static boolean rowPresent(final MemorySegment m, final int row, final int freq)
    {
        final long cell = presenceIndex(m, row, freq, 0);
        final int blocks = numBlocks(m);
        for (int block = 0; block < blocks; block++)
        {
            if (m.get(JAVA_BYTE, cell + block) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
