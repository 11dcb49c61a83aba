package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.StageConfig;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A test source of sample frames as the receiver writes them (data and SampleMetadata, 4 freqs x 4 input blocks of
 * {@code inputs_per_block}, rows of 2 samples), with scripted losses: {@code lost: [[frame, row, freq, block], ...]}
 * cells are filled with 0x88 and flagged, {@code skip_frames} are never sent. Frame {@code k} holds samples
 * {@code (first_frame + k)·T ...}. Bytes are {@link #sample}, so a test can recompute them. {@code metadata_freqs}
 * makes the metadata claim another frequency count (a misconfigured producer).
 */
public final class ScriptedSampleSource extends Stage
{
    static final int FREQS = 4;
    static final int BLOCKS = 4;
    static final int SAMPLES_PER_ROW = 2;
    static final int[] FREQ_IDS = {7, 107, 207, 307};

    private final FrameProducer out;
    private final int samplesPerFrame;
    private final int inputsPerBlock;
    private final int frames;
    private final long firstFrame;
    private final long[] lost;
    private final long[] skip;
    private final int metadataFreqs;
    private int next;

    public ScriptedSampleSource(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        out = context.outBuffer("out_buf");
        samplesPerFrame = config.getInt("samples_per_frame");
        inputsPerBlock = config.getInt("inputs_per_packet");
        frames = config.getInt("frames");
        firstFrame = config.getLong("first_frame", 0);
        lost = config.getLongArray("lost", new long[0]);
        skip = config.getLongArray("skip_frames", new long[0]);
        metadataFreqs = config.getInt("metadata_freqs", FREQS);
        config.getString("profile", "chime");
        context.declareMetadata(out, FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(FREQS, BLOCKS,
            samplesPerFrame / SAMPLES_PER_ROW, BLOCKS));
    }

    /** The byte of (seq, freq index, input): every value 0..255, -8 included. */
    static byte sample(final long seq, final int freq, final int input)
    {
        long h = seq * 0x9E3779B97F4A7C15L + freq * 0xBF58476D1CE4E5B9L + input * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86602AD3BL;
        return (byte)(h >>> 56);
    }

    static boolean isLost(final long[] lost, final int frame, final int row, final int freq, final int block)
    {
        for (int i = 0; i + 3 < lost.length; i += 4)
        {
            if (lost[i] == frame && lost[i + 1] == row && lost[i + 2] == freq && lost[i + 3] == block)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public int doWork()
    {
        while (next < frames && contains(skip, next))
        {
            next++;
        }
        if (next >= frames)
        {
            return 0;
        }
        final int slot = out.tryClaim();
        if (slot < 0)
        {
            return 0;
        }
        final MemorySegment frame = out.frame(slot);
        final MemorySegment meta = out.metadata(slot);
        final int padded = 128;
        FrameMetadataDescriptor.initialise(meta, samplesPerFrame, metadataFreqs, padded, BLOCKS, SAMPLES_PER_ROW,
            BLOCKS);
        final long start = (firstFrame + next) * samplesPerFrame;
        FrameMetadataDescriptor.firstSeq(meta, start);
        FrameMetadataDescriptor.flags(meta, 0);
        frame.fill((byte)0x88);
        for (int f = 0; f < FREQS; f++)
        {
            FrameMetadataDescriptor.freqId(meta, f, FREQ_IDS[f]);
            for (int t = 0; t < samplesPerFrame; t++)
            {
                for (int block = 0; block < BLOCKS; block++)
                {
                    final int row = t / SAMPLES_PER_ROW;
                    final boolean gone = isLost(lost, next, row, f, block);
                    meta.set(JAVA_BYTE, FrameMetadataDescriptor.presenceIndex(meta, row, f, block),
                        (byte)(gone ? 0 : 1));
                    for (int i = block * inputsPerBlock; !gone && i < (block + 1) * inputsPerBlock; i++)
                    {
                        frame.set(JAVA_BYTE, ((long)f * samplesPerFrame + t) * padded + i, sample(start + t, f, i));
                    }
                }
            }
        }
        out.publish();
        next++;
        return 1;
    }

    private static boolean contains(final long[] values, final long value)
    {
        for (final long v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isFinished()
    {
        return next >= frames;
    }
}
