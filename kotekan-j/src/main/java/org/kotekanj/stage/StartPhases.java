package org.kotekanj.stage;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a pipeline's stages in three waves across all its threads: first the stages that read buffers, then the
 * stages that only fill buffers (receivers, generators), last the stages with no buffers at all, which talk to the
 * outside (a simulator sending to a receiver of the same pipeline must not send before that receiver has bound its
 * sockets). Each thread starts its own stages when their wave opens; the pipeline opens a wave once every stage of
 * the previous one has started.
 */
final class StartPhases
{
    static final int READERS = 0;
    static final int FILLERS = 1;
    static final int EXTERNAL = 2;
    static final int COUNT = 3;

    private final CountDownLatch[] opened = new CountDownLatch[COUNT];
    private final CountDownLatch[] started = new CountDownLatch[COUNT];

    StartPhases(final List<StageAgent> stages)
    {
        final int[] counts = new int[COUNT];
        for (final StageAgent stage : stages)
        {
            counts[phaseOf(stage)]++;
        }
        for (int phase = 0; phase < COUNT; phase++)
        {
            opened[phase] = new CountDownLatch(1);
            started[phase] = new CountDownLatch(counts[phase]);
        }
    }

    static int phaseOf(final StageAgent stage)
    {
        if (!stage.context().consumers().isEmpty() || !stage.context().readers().isEmpty())
        {
            return READERS;
        }
        return stage.context().producers().isEmpty() ? EXTERNAL : FILLERS;
    }

    /** On a stage thread: waits until the wave opens. */
    void awaitOpen(final int phase) throws InterruptedException
    {
        opened[phase].await();
    }

    /** On a stage thread: one stage of the wave has started (or given up). */
    void started(final int phase)
    {
        started[phase].countDown();
    }

    /** On the starting thread: opens each wave once the previous one has started; false on timeout. */
    boolean run(final long timeoutSeconds) throws InterruptedException
    {
        for (int phase = 0; phase < COUNT; phase++)
        {
            opened[phase].countDown();
            if (!started[phase].await(timeoutSeconds, TimeUnit.SECONDS))
            {
                return false;
            }
        }
        return true;
    }

    /** Lets every waiting thread through (start failed). */
    void abort()
    {
        for (final CountDownLatch latch : opened)
        {
            latch.countDown();
        }
    }
}
