package org.kotekanj.baseband;

import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.buffer.FrameReader;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.status.MetricsRegistry;

/**
 * Fills a ring the way the receive path does, without sockets: frame {@code F} gets samples {@code [F·T, (F+1)·T)}
 * of a simulator signal in {@code [freq][time][input]}, its metadata (first seq, freq ids, presence, arrival, one
 * stream per input block with its {@code seq_offset}), and chosen cells lost ({@code 0x88}, presence 0). A stream
 * re-aligned by {@code seq_offset} holds, as the receiver places it, the signal at its F-engine counter
 * {@code first seq + t - seq_offset}.
 */
public final class RingFeeder implements AutoCloseable
{
    public final NodeShape shape;
    final FrameBuffer buffer;
    final FrameProducer producer;
    public final FrameReader reader;
    private final SampleSignal signal;
    private final MetricsRegistry metrics = MetricsRegistry.inMemory();

    public RingFeeder(final NodeShape shape, final int numFrames, final SampleSignal signal)
    {
        this.shape = shape;
        this.signal = signal;
        buffer = new FrameBuffer("ring", numFrames, shape.frameBytes(), HugePages.OFF, -1, null);
        producer = buffer.producer("feeder");
        reader = buffer.reader("baseband");
        buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(shape.numFreqs(),
            shape.numBlocks(),
            shape.samplesPerFrame() / shape.samplesPerRow(), shape.numBlocks()));
        buffer.allocate(metrics);
    }

    /**
     * A small node: frequencies at 800 - 0.390625 id MHz, 16 inputs in 2 blocks padded to 128, stream {@code s}
     * bringing block {@code s} of every frequency (as a CHIME node's links do).
     */
    static NodeShape smallNode(final int[] freqIds, final int samplesPerFrame)
    {
        final double[] mhz = new double[freqIds.length];
        final int[] blockStreams = new int[freqIds.length * 2];
        for (int f = 0; f < freqIds.length; f++)
        {
            mhz[f] = 800.0 - 0.390625 * freqIds[f];
            blockStreams[2 * f] = 0;
            blockStreams[2 * f + 1] = 1;
        }
        return new NodeShape(freqIds, mhz, 16, 128, samplesPerFrame, 2, 2, 2560, blockStreams);
    }

    /** Publishes frame {@code frame}; {@code lost} lists (flag row, freq index, block) cells to lose. */
    void feed(final long frame, final int flags, final int[]... lost)
    {
        feed(frame, flags, new long[shape.numBlocks()], lost);
    }

    /**
     * Publishes frame {@code frame} with stream {@code s} (input block {@code s}) re-aligned by {@code seqOffsets[s]}
     * ({@link FrameMetadataDescriptor#FLAG_REALIGNED} is added where one is not 0).
     */
    void feed(final long frame, final int flags, final long[] seqOffsets, final int[]... lost)
    {
        final int slot = producer.tryClaim();
        if (slot < 0)
        {
            throw new IllegalStateException("ring full: readers must not gate the producer");
        }
        final MemorySegment data = producer.frame(slot);
        final MemorySegment meta = producer.metadata(slot);
        final int t = shape.samplesPerFrame();
        final long first = frame * t;
        FrameMetadataDescriptor.initialise(meta, t, shape.numFreqs(), shape.paddedInputs(), shape.numBlocks(),
            shape.samplesPerRow(), shape.numBlocks());
        FrameMetadataDescriptor.firstSeq(meta, first);
        FrameMetadataDescriptor.arrivalNanos(meta, ReadoutHarness.FRAME0 + first * shape.samplePeriodNs());
        int realigned = 0;
        for (int stream = 0; stream < shape.numBlocks(); stream++)
        {
            FrameMetadataDescriptor.streamId(meta, stream, stream);
            FrameMetadataDescriptor.seqOffset(meta, stream, seqOffsets[stream]);
            realigned |= seqOffsets[stream] != 0 ? FrameMetadataDescriptor.FLAG_REALIGNED : 0;
        }
        FrameMetadataDescriptor.flags(meta, flags | realigned);
        final int perBlock = shape.numInputs() / shape.numBlocks();
        for (int f = 0; f < shape.numFreqs(); f++)
        {
            FrameMetadataDescriptor.freqId(meta, f, shape.freqIds()[f]);
            for (int s = 0; s < t; s++)
            {
                final long offset = ((long)f * t + s) * shape.paddedInputs();
                for (int block = 0; block < shape.numBlocks(); block++)
                {
                    signal.fill(first + s - seqOffsets[block], shape.freqIds()[f], block * perBlock, perBlock, data,
                        offset + (long)block * perBlock);
                }
                data.asSlice(offset + shape.numInputs(), shape.paddedInputs() - shape.numInputs()).fill((byte)0);
            }
        }
        FrameMetadataDescriptor.presenceMap(meta).fill((byte)1);
        for (final int[] cell : lost)
        {
            final int row = cell[0];
            final int f = cell[1];
            final int block = cell[2];
            meta.set(java.lang.foreign.ValueLayout.JAVA_BYTE, FrameMetadataDescriptor.presenceIndex(meta, row, f,
                block), (byte)0);
            for (int s = row * shape.samplesPerRow(); s < (row + 1) * shape.samplesPerRow(); s++)
            {
                data.asSlice(((long)f * t + s) * shape.paddedInputs() + (long)block * perBlock, perBlock)
                    .fill(PacketHeaderDescriptor.FILL);
            }
        }
        producer.publish();
    }

    public void feedRange(final long firstFrame, final int count)
    {
        for (long f = firstFrame; f < firstFrame + count; f++)
        {
            feed(f, 0, new int[0][]);
        }
    }

    @Override
    public void close()
    {
        buffer.close();
    }
}
