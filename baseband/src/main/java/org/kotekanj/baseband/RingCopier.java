package org.kotekanj.baseband;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import org.kotekanj.baseband.ring.RingIndex;
import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameReader;
import org.kotekanj.fengine.StreamId;

/**
 * Copies dump windows out of the ring into staging: the part of a dump that races ingest. Runs on the baseband
 * stage's thread, never the receive thread, and never waits: a frame not yet published is copied on a later call, a
 * full staging area is retried later, and a frame the producer reclaimed before or during the copy (the seqlock check
 * of {@link FrameReader}) becomes missing rows ({@code 0x00}, not present) instead of a wait.
 *
 * <p>{@code sample_present} is 1 only for a time sample whose every input was captured: a flag row with a lost input
 * block in the frame's presence map ({@link FrameMetadataDescriptor#rowPresent}, the arithmetic the correlator's lost
 * count uses too) is 0, its bytes staying {@code 0x88}, and counted in the dump's lost samples. The samples of a
 * stream that the receiver re-aligned after an F-engine reset or jump ({@code seq_offset} not 0) belong to another
 * epoch than the window's timeline, so they are left out ({@code 0x00}), their rows not present and the dump
 * {@code partial} for the reset; a row with every input left out counts as missing.
 */
final class RingCopier
{
    /** The ring's shape as the copier needs it. */
    record Shape(int samplesPerFrame, int numInputs, int paddedInputs, int numBlocks, int[] blockStreams)
    {
    }

    private final FrameReader reader;
    private final RingIndex index;
    private final Shape shape;
    private final StagingArea staging;
    private final int chunkRows;
    private final Consumer<StagedChunk> toWriter;
    private final BasebandMetrics metrics;

    RingCopier(final FrameReader reader, final RingIndex index, final Shape shape, final StagingArea staging,
        final int chunkRows, final Consumer<StagedChunk> toWriter, final BasebandMetrics metrics)
    {
        this.reader = reader;
        this.index = index;
        this.shape = shape;
        this.staging = staging;
        this.chunkRows = chunkRows;
        this.toWriter = toWriter;
        this.metrics = metrics;
    }

    int chunkRows()
    {
        return chunkRows;
    }

    /**
     * Copies up to {@code budgetRows} rows of {@code dump}; returns the rows copied, or -1 if staging is full.
     * A window whose newest samples have not arrived yet copies what has.
     */
    long copy(final FreqDump dump, final long budgetRows)
    {
        final long end = dump.plan().planned().end();
        final long available = (index.newestFrame() + 1) * shape.samplesPerFrame();
        long copied = 0;
        while (dump.copyNext < end && copied < budgetRows)
        {
            final long from = dump.copyNext;
            if (from >= available && !reader.producersClosed())
            {
                break;
            }
            final int rows = (int)Math.min(Math.min(chunkRows, end - from),
                reader.producersClosed() ? end - from : available - from);
            final StagingArea.Slice slice = staging.allocate(StagedChunk.bytesFor(rows, shape.numInputs()));
            if (slice == null)
            {
                return copied > 0 ? copied : -1;
            }
            final StagedChunk chunk = new StagedChunk(dump, from, rows, shape.numInputs(), slice, from + rows == end);
            if (dump.start())
            {
                metrics.inProgress(dump.plan().freqId(), 1);
            }
            fill(dump, chunk);
            if (dump.event().firstByteNanos() == 0)
            {
                final long now = System.nanoTime();
                dump.event().firstByteCopied(now);
                metrics.triggerLatency(now - dump.event().receivedNanos());
            }
            dump.copyNext = from + rows;
            copied += rows;
            if (chunk.last())
            {
                dump.copyDone = true;
            }
            toWriter.accept(chunk);
        }
        return copied;
    }

    private void fill(final FreqDump dump, final StagedChunk chunk)
    {
        final int freq = dump.plan().freqIndex();
        final long first = chunk.firstSample();
        final long last = first + chunk.rows();
        final MemorySegment out = chunk.samples();
        final MemorySegment present = chunk.present();
        final long t = shape.samplesPerFrame();
        long sample = first;
        while (sample < last)
        {
            final long frame = Math.floorDiv(sample, t);
            final long frameEnd = Math.min(last, (frame + 1) * t);
            final int rows = (int)(frameEnd - sample);
            final long outOffset = (sample - first) * shape.numInputs();
            final long presentOffset = sample - first;
            final long sequence = index.sequenceOf(frame);
            boolean captured = false;
            int leftOut = 0;
            long lost = 0;
            if (sequence >= 0 && reader.readable(sequence))
            {
                final int slot = reader.slotOf(sequence);
                final MemorySegment meta = reader.metadata(slot);
                final int inFrame = (int)(sample - frame * t);
                copyRows(reader.frame(slot), ((long)freq * t + inFrame) * shape.paddedInputs(), out, outOffset, rows);
                final int flags = FrameMetadataDescriptor.flags(meta);
                if ((flags & FrameMetadataDescriptor.FLAG_REALIGNED) != 0)
                {
                    leftOut = leaveOutRealigned(meta, freq, out, outOffset, rows);
                }
                lost = leftOut > 0 ? rows : FrameMetadataDescriptor.lostSamples(meta, freq, inFrame, inFrame + rows);
                markPresent(meta, freq, inFrame, rows, leftOut > 0, present, presentOffset);
                final String realigned = leftOut > 0 && !dump.realignedSeen() ? realignedStreams(meta, freq) : null;
                captured = reader.stillHolds(sequence);
                if (captured && realigned != null)
                {
                    dump.realignedInWindow(realigned, sample);
                }
                else if (captured && (flags & FrameMetadataDescriptor.FLAG_RESET) != 0)
                {
                    dump.resetInWindow();
                }
            }
            if (captured && leftOut < shape.numBlocks())
            {
                dump.captured(sample, frameEnd, lost);
            }
            else
            {
                out.asSlice(outOffset, (long)rows * shape.numInputs()).fill((byte)0);
                present.asSlice(presentOffset, rows).fill((byte)0);
                dump.missing(rows);
            }
            sample = frameEnd;
        }
    }

    private void copyRows(final MemorySegment data, final long src, final MemorySegment out, final long outOffset,
        final int rows)
    {
        if (shape.paddedInputs() == shape.numInputs())
        {
            MemorySegment.copy(data, src, out, outOffset, (long)rows * shape.numInputs());
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            MemorySegment.copy(data, src + (long)r * shape.paddedInputs(), out, outOffset + (long)r * shape.numInputs(),
                shape.numInputs());
        }
    }

    /**
     * {@code sample_present} of rows {@code [inFrame, inFrame + rows)}: 1 where every input block of the frequency
     * is present in the frame's presence map, 0 where one was lost (its bytes stay {@code 0x88}) or left out.
     */
    private static void markPresent(final MemorySegment meta, final int freq, final int inFrame, final int rows,
        final boolean leftOut, final MemorySegment present, final long presentOffset)
    {
        if (leftOut)
        {
            present.asSlice(presentOffset, rows).fill((byte)0);
            return;
        }
        final int perRow = FrameMetadataDescriptor.samplesPerRow(meta);
        final int end = inFrame + rows;
        int time = inFrame;
        while (time < end)
        {
            final int row = time / perRow;
            final int rowEnd = Math.min(end, (row + 1) * perRow);
            final byte flag = FrameMetadataDescriptor.rowPresent(meta, row, freq) ? (byte)1 : (byte)0;
            present.asSlice(presentOffset + time - inFrame, rowEnd - time).fill(flag);
            time = rowEnd;
        }
    }

    /**
     * Leaves out of the copied rows the input blocks of this frequency whose stream is re-aligned in the frame
     * ({@code seq_offset} not 0: it reset or jumped, and the receiver placed its new epoch at a whole number of frames
     * near its arrival): their samples are not the samples of the time the dump was planned for, so they become
     * {@code 0x00} (never captured) rather than being mixed, as if simultaneous, with the other streams' samples.
     * Returns how many blocks were left out.
     */
    private int leaveOutRealigned(final MemorySegment meta, final int freq, final MemorySegment out,
        final long outOffset, final int rows)
    {
        final int numStreams = FrameMetadataDescriptor.numStreams(meta);
        final int perBlock = shape.numInputs() / shape.numBlocks();
        int leftOut = 0;
        for (int block = 0; block < shape.numBlocks(); block++)
        {
            final int stream = shape.blockStreams()[freq * shape.numBlocks() + block];
            if (stream < 0 || stream >= numStreams || FrameMetadataDescriptor.seqOffset(meta, stream) == 0)
            {
                continue;
            }
            leftOut++;
            for (int r = 0; r < rows; r++)
            {
                out.asSlice(outOffset + (long)r * shape.numInputs() + (long)block * perBlock, perBlock).fill((byte)0);
            }
        }
        return leftOut;
    }

    /** The re-aligned streams of a frequency in a frame, for the dump's reason (once per dump). */
    private String realignedStreams(final MemorySegment meta, final int freq)
    {
        final StringBuilder text = new StringBuilder();
        for (int block = 0; block < shape.numBlocks(); block++)
        {
            final int stream = shape.blockStreams()[freq * shape.numBlocks() + block];
            if (stream >= 0 && stream < FrameMetadataDescriptor.numStreams(meta) &&
                FrameMetadataDescriptor.seqOffset(meta, stream) != 0)
            {
                text.append(text.isEmpty() ? "" : ", ").append(StreamId.format(FrameMetadataDescriptor.streamId(meta,
                    stream))).append(" by ").append(FrameMetadataDescriptor.seqOffset(meta, stream));
            }
        }
        return text.toString();
    }
}
