package org.kotekanj.baseband;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import org.kotekanj.baseband.ring.RingIndex;
import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameReader;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Copies dump windows out of the ring into staging: the part of a dump that races ingest. Runs on the baseband
 * stage's thread, never the receive thread, and never waits: a frame not yet published is copied on a later call, a
 * full staging area is retried later, and a frame the producer reclaimed before or during the copy (the seqlock check
 * of {@link FrameReader}) becomes missing rows ({@code 0x00}, not present) instead of a wait.
 */
final class RingCopier
{
    /** The ring's shape as the copier needs it. */
    record Shape(int samplesPerFrame, int numInputs, int paddedInputs, int samplesPerRow, int numBlocks)
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
            final long sequence = index.sequenceOf(frame);
            boolean captured = false;
            long lost = 0;
            if (sequence >= 0 && reader.readable(sequence))
            {
                final int slot = reader.slotOf(sequence);
                final MemorySegment data = reader.frame(slot);
                final MemorySegment meta = reader.metadata(slot);
                final int inFrame = (int)(sample - frame * t);
                final long src = ((long)freq * t + inFrame) * shape.paddedInputs();
                if (shape.paddedInputs() == shape.numInputs())
                {
                    MemorySegment.copy(data, src, out, outOffset, (long)rows * shape.numInputs());
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                    {
                        MemorySegment.copy(data, src + (long)r * shape.paddedInputs(), out,
                            outOffset + (long)r * shape.numInputs(), shape.numInputs());
                    }
                }
                lost = lostSamples(meta, freq, inFrame, rows);
                final boolean reset = (FrameMetadataDescriptor.flags(meta) & FrameMetadataDescriptor.FLAG_RESET) != 0;
                captured = reader.stillHolds(sequence);
                if (captured && reset)
                {
                    dump.resetInWindow();
                }
            }
            final long presentOffset = sample - first;
            if (captured)
            {
                present.asSlice(presentOffset, rows).fill((byte)1);
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

    /** Time samples in {@code [inFrame, inFrame + rows)} of frequency {@code freq} with any input block lost. */
    private long lostSamples(final MemorySegment meta, final int freq, final int inFrame, final int rows)
    {
        final int perRow = shape.samplesPerRow();
        final long presence = meta.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED,
            FrameMetadataDescriptor.PRESENCE_OFFSET_OFFSET);
        final int numFreq = FrameMetadataDescriptor.numFreq(meta);
        long lost = 0;
        int t = inFrame;
        final int end = inFrame + rows;
        while (t < end)
        {
            final int row = t / perRow;
            final int rowEnd = Math.min(end, (row + 1) * perRow);
            final long cell = presence + ((long)row * numFreq + freq) * shape.numBlocks();
            for (int b = 0; b < shape.numBlocks(); b++)
            {
                if (meta.get(JAVA_BYTE, cell + b) == 0)
                {
                    lost += rowEnd - t;
                    break;
                }
            }
            t = rowEnd;
        }
        return lost;
    }
}
