package org.kotekanj.stage;

import org.kotekanj.buffer.FrameConsumer;

/**
 * Test sink that throws {@code IllegalStateException("boom at frame N")} when it reads frame {@code fail_at_frame}, or
 * {@code IllegalStateException("no device")} from {@code onStart} with {@code fail_at_start: true}.
 */
public final class FailingStage extends Stage
{
    private final FrameConsumer in;
    private final long failAt;
    private final boolean failAtStart;
    private long consumed;

    public FailingStage(final StageContext context)
    {
        super(context);
        in = context.inBuffer("in_buf");
        failAt = context.config().getLong("fail_at_frame", 0);
        failAtStart = context.config().getBoolean("fail_at_start", false);
    }

    @Override
    public void onStart()
    {
        if (failAtStart)
        {
            throw new IllegalStateException("no device");
        }
    }

    @Override
    public int doWork()
    {
        final int slot = in.tryAcquire();
        if (slot < 0)
        {
            return 0;
        }
        if (consumed == failAt)
        {
            throw new IllegalStateException("boom at frame " + consumed);
        }
        consumed++;
        in.release();
        return 1;
    }
}
