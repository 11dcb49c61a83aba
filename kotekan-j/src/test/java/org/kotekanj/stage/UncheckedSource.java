package org.kotekanj.stage;

import org.kotekanj.buffer.FrameProducer;

/**
 * Test stage written as receive stages are: it dereferences its output buffer without a null check and range-checks
 * a required value it may have failed to read; {@code crash: true} throws as a stage bug would.
 */
public final class UncheckedSource extends Stage
{
    public UncheckedSource(final StageContext context)
    {
        super(context);
        final FrameProducer out = context.outBuffer("out_buf");
        final long samples = context.config().getLong("samples_per_frame");
        if (samples <= 0 || samples % 2 != 0)
        {
            context.config().error("samples_per_frame", "must be a positive even number, found " + samples);
        }
        context.requireMinFrameSize(out.buffer(), samples, samples + " samples");
        if (context.config().getBoolean("crash", false))
        {
            final String missing = System.getProperty("kotekanj.test.absent");
            context.log().debug("length " + missing.length());
        }
    }

    @Override
    public int doWork()
    {
        return 0;
    }
}
