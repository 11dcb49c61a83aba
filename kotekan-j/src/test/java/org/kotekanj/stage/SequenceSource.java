package org.kotekanj.stage;

import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.log.Log;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Test source: writes each frame's sequence number at byte {@code offset} of the frames of {@code out_buf}, for
 * {@code num_frames_to_generate} frames (0 = until stopped).
 */
public final class SequenceSource extends Stage
{
    private final FrameProducer out;
    private final long offset;
    private final long limit;
    private final StageProbe probe = new StageProbe();
    private final Log log;
    private volatile long produced;

    public SequenceSource(final StageContext context)
    {
        super(context);
        out = context.outBuffer("out_buf");
        offset = context.config().getLong("offset", 0);
        limit = context.config().getLong("num_frames_to_generate", 0);
        log = context.log();
        if (out != null)
        {
            context.requireMinFrameSize(out.buffer(), offset + 8, "a sequence number at byte " + offset);
        }
    }

    @Override
    public void onStart()
    {
        probe.started();
    }

    @Override
    public int doWork()
    {
        probe.working();
        if (isFinished())
        {
            return 0;
        }
        final int slot = out.tryClaim();
        if (slot < 0)
        {
            return 0;
        }
        out.frame(slot).set(JAVA_LONG_UNALIGNED, offset, produced);
        out.publish();
        produced++;
        return 1;
    }

    @Override
    public boolean isFinished()
    {
        return limit > 0 && produced >= limit;
    }

    @Override
    public void onClose()
    {
        log.info("produced " + produced + " frames");
        probe.closed();
    }

    public long produced()
    {
        return produced;
    }

    public StageProbe probe()
    {
        return probe;
    }
}
