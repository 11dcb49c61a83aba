package org.kotekanj.stages.util;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.StageConfig;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * Fills frames with the {@link RampPattern}, optionally paced to {@code frames_per_second}, and stops after
 * {@code num_frames_to_generate} (0 = until stopped). The runtime demo's source, and a load generator for testing
 * buffers and downstream stages.
 */
public final class PatternGenerator extends Stage
{
    private final FrameProducer out;
    private final long framesToGenerate;
    private final double framesPerSecond;
    private Arena arena;
    private RampPattern pattern;
    private long generated;
    private long startNanos;

    public PatternGenerator(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        out = context.outBuffer("out_buf");
        framesToGenerate = config.getLong("num_frames_to_generate", 0);
        framesPerSecond = config.getDouble("frames_per_second", 0);
        if (framesToGenerate < 0)
        {
            config.error("num_frames_to_generate", "must not be negative, found " + framesToGenerate);
        }
        if (framesPerSecond < 0)
        {
            config.error("frames_per_second", "must not be negative (0 = as fast as possible)");
        }
    }

    @Override
    public void onStart()
    {
        arena = Arena.ofConfined();
        pattern = new RampPattern(out.buffer().frameSize(), arena);
        startNanos = System.nanoTime();
    }

    @Override
    public int doWork()
    {
        if (isFinished() || framesPerSecond > 0 && generated >= (System.nanoTime() - startNanos) * framesPerSecond / 1e9)
        {
            return 0;
        }
        final int slot = out.tryClaim();
        if (slot < 0)
        {
            return 0;
        }
        final MemorySegment frame = out.frame(slot);
        MemorySegment.copy(pattern.frame(generated), 0, frame, 0, frame.byteSize());
        out.publish();
        generated++;
        return 1;
    }

    @Override
    public boolean isFinished()
    {
        return framesToGenerate > 0 && generated >= framesToGenerate;
    }

    @Override
    public void onClose()
    {
        if (arena != null)
        {
            arena.close();
        }
    }

    @Override
    public String statusLine()
    {
        return generated + " frames generated";
    }
}
