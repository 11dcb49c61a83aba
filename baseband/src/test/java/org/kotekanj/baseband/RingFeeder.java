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
 * of a simulator signal in {@code [freq][time][input]}, its metadata (first seq, freq ids, presence, arrival), and
 * chosen cells lost ({@code 0x88}, presence 0).
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
        buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(shape.numFreqs(), 1,
            shape.samplesPerFrame() / shape.samplesPerRow(), shape.numBlocks()));
        buffer.allocate(metrics);
    }

    /** A small node: 4 frequencies (ids 10..13 at 800 - 0.390625 id MHz), 16 inputs in 2 blocks padded to 128. */
    static NodeShape smallNode(final int[] freqIds, final int samplesPerFrame)
    {
        final double[] mhz = new double[freqIds.length];
        for (int f = 0; f < freqIds.length; f++)
        {
            mhz[f] = 800.0 - 0.390625 * freqIds[f];
        }
        return new NodeShape(freqIds, mhz, 16, 128, samplesPerFrame, 2, 2, 2560);
    }

    /** Publishes frame {@code frame}; {@code lost} lists (flag row, freq index, block) cells to lose. */
    void feed(final long frame, final int flags, final int[]... lost)
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
            shape.samplesPerRow(), 1);
        FrameMetadataDescriptor.firstSeq(meta, first);
        FrameMetadataDescriptor.arrivalNanos(meta, 1_700_000_000_000_000_000L + first * shape.samplePeriodNs());
        FrameMetadataDescriptor.flags(meta, flags);
        for (int f = 0; f < shape.numFreqs(); f++)
        {
            FrameMetadataDescriptor.freqId(meta, f, shape.freqIds()[f]);
            for (int s = 0; s < t; s++)
            {
                final long offset = ((long)f * t + s) * shape.paddedInputs();
                signal.fill(first + s, shape.freqIds()[f], 0, shape.numInputs(), data, offset);
                data.asSlice(offset + shape.numInputs(), shape.paddedInputs() - shape.numInputs()).fill((byte)0);
            }
        }
        FrameMetadataDescriptor.presenceMap(meta).fill((byte)1);
        final int perBlock = shape.numInputs() / shape.numBlocks();
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
