package org.kotekanj.stage;

import java.util.concurrent.locks.LockSupport;

import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.log.Log;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Test sink: reads the frames of {@code in_buf}, counting those whose sequence number at byte {@code offset} is the
 * expected one and those that are not; {@code delay_us} makes it a slow consumer.
 */
public final class SequenceSink extends Stage
{
    private final FrameConsumer in;
    private final long offset;
    private final long delayNanos;
    private final StageProbe probe = new StageProbe();
    private final Log log;
    private volatile long consumed;
    private volatile long mismatches;
    private volatile long consumedAtClose = -1;

    public SequenceSink(final StageContext context)
    {
        super(context);
        in = context.inBuffer("in_buf");
        offset = context.config().getLong("offset", 0);
        delayNanos = context.config().getLong("delay_us", 0) * 1000;
        log = context.log();
        if (in != null)
        {
            context.requireMinFrameSize(in.buffer(), offset + 8, "a sequence number at byte " + offset);
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
        final int slot = in.tryAcquire();
        if (slot < 0)
        {
            return 0;
        }
        if (in.frame(slot).get(JAVA_LONG_UNALIGNED, offset) != consumed)
        {
            mismatches++;
        }
        if (delayNanos > 0)
        {
            LockSupport.parkNanos(delayNanos);
        }
        consumed++;
        in.release();
        return 1;
    }

    @Override
    public void onClose()
    {
        consumedAtClose = consumed;
        log.info("consumed " + consumed + " frames, " + mismatches + " out of sequence");
        probe.closed();
    }

    public long consumed()
    {
        return consumed;
    }

    public long mismatches()
    {
        return mismatches;
    }

    /** Frames consumed when {@code onClose} ran, -1 if it has not. */
    public long consumedAtClose()
    {
        return consumedAtClose;
    }

    public StageProbe probe()
    {
        return probe;
    }
}
