package org.kotekanj.stages.util;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.log.Log;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * Verifies that every frame holds the {@link RampPattern} of its sequence number and counts good and bad frames
 * ({@code kotekan_check_frames_total{result}}); reports the first mismatch of each bad frame in its log.
 */
public final class PatternChecker extends Stage
{
    private final FrameConsumer in;
    private final Log log;
    private final AtomicCounter good;
    private final AtomicCounter bad;
    private Arena arena;
    private RampPattern pattern;
    private long checked;

    public PatternChecker(final StageContext context)
    {
        super(context);
        in = context.inBuffer("in_buf");
        log = context.log();
        good = context.metrics().counter("kotekan_check_frames_total", path(), "result", "good");
        bad = context.metrics().counter("kotekan_check_frames_total", path(), "result", "bad");
    }

    @Override
    public void onStart()
    {
        arena = Arena.ofConfined();
        pattern = new RampPattern(in.buffer().frameSize(), arena);
    }

    @Override
    public int doWork()
    {
        final int slot = in.tryAcquire();
        if (slot < 0)
        {
            return 0;
        }
        final MemorySegment frame = in.frame(slot);
        final long mismatch = frame.mismatch(pattern.frame(checked));
        if (mismatch < 0)
        {
            good.incrementRelease();
        }
        else
        {
            bad.incrementRelease();
            log.warn("frame " + checked + " differs from the pattern at byte " + mismatch);
        }
        checked++;
        in.release();
        return 1;
    }

    @Override
    public void onClose()
    {
        log.info("checked " + checked + " frames: " + good.get() + " good, " + bad.get() + " bad");
        if (arena != null)
        {
            arena.close();
        }
    }

    public long goodFrames()
    {
        return good.get();
    }

    public long badFrames()
    {
        return bad.get();
    }

    @Override
    public String statusLine()
    {
        return good.get() + " good frames, " + bad.get() + " bad";
    }
}
