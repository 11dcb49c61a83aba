package org.kotekanj.stages.util;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * Releases every frame it is given and counts them ({@code kotekan_sink_frames_total}): the end of a pipeline whose
 * frames matter only to another consumer of the same buffer (a baseband ring, a benchmark of the receive path).
 */
public final class FrameSink extends Stage
{
    private final FrameConsumer in;
    private final AtomicCounter frames;

    public FrameSink(final StageContext context)
    {
        super(context);
        in = context.inBuffer("in_buf");
        frames = context.metrics().counter("kotekan_sink_frames_total", path());
    }

    @Override
    public int doWork()
    {
        int released = 0;
        while (in.tryAcquire() >= 0)
        {
            in.release();
            released++;
        }
        frames.getAndAddRelease(released);
        return released;
    }

    public long frames()
    {
        return frames.get();
    }
}
