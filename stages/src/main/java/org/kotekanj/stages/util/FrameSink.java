package org.kotekanj.stages.util;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * Releases every frame it is given and counts them ({@code kotekan_sink_frames_total}): the end of a pipeline whose
 * frames matter only to another consumer of the same buffer (a baseband ring, a benchmark of the receive path).
 * Frames of sample data must come in strictly increasing sample time, each once (the correlator and the baseband
 * ring rely on it): any that does not is counted in {@code kotekan_sink_out_of_order_total}.
 */
public final class FrameSink extends Stage
{
    private final FrameConsumer in;
    private final AtomicCounter frames;
    private final AtomicCounter outOfOrder;
    private boolean sampleFrames;
    private long lastFirstSeq = -1;

    public FrameSink(final StageContext context)
    {
        super(context);
        in = context.inBuffer("in_buf");
        frames = context.metrics().counter("kotekan_sink_frames_total", path());
        outOfOrder = context.metrics().counter("kotekan_sink_out_of_order_total", path());
    }

    @Override
    public void onStart()
    {
        sampleFrames = FrameMetadataDescriptor.KIND.equals(in.buffer().metadataKind());
    }

    @Override
    public int doWork()
    {
        int released = 0;
        int slot;
        while ((slot = in.tryAcquire()) >= 0)
        {
            if (sampleFrames)
            {
                final long firstSeq = FrameMetadataDescriptor.firstSeq(in.metadata(slot));
                if (firstSeq <= lastFirstSeq)
                {
                    outOfOrder.incrementRelease();
                }
                lastFirstSeq = Math.max(lastFirstSeq, firstSeq);
            }
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

    /** Sample frames that did not come strictly after the previous one in sample time. */
    public long outOfOrder()
    {
        return outOfOrder.get();
    }
}
