package org.kotekanj.stage;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.kotekanj.nativeio.Libc;

/**
 * The Agrona {@link Agent} of one thread: a single dedicated stage, or every shared stage taking turns. It pins its
 * thread to the union of its stages' {@code cpu_affinity} before any stage starts, and ends when all of its stages
 * have closed.
 */
final class StageGroup implements Agent
{
    private final String name;
    private final StageAgent[] stages;
    private final int[] cpus;
    private final Pipeline pipeline;
    private final StartPhases phases;
    private final CountDownLatch started = new CountDownLatch(1);

    StageGroup(final String name, final List<StageAgent> stages, final Pipeline pipeline, final StartPhases phases)
    {
        this.name = name;
        this.stages = stages.toArray(new StageAgent[0]);
        this.pipeline = pipeline;
        this.phases = phases;
        this.cpus = stages.stream().flatMapToInt(s -> Arrays.stream(s.cpus())).distinct().sorted().toArray();
    }

    IdleStrategyName idleStrategy()
    {
        IdleStrategyName best = IdleStrategyName.SLEEP;
        for (final StageAgent stage : stages)
        {
            if (stage.idleStrategy().eagerness() > best.eagerness())
            {
                best = stage.idleStrategy();
            }
        }
        return best;
    }

    CountDownLatch started()
    {
        return started;
    }

    /** Pins the thread, then starts this thread's stages wave by wave ({@link StartPhases}). */
    @Override
    public void onStart()
    {
        boolean pinned = true;
        try
        {
            if (cpus.length > 0)
            {
                Libc.pinCurrentThread(cpus);
            }
        }
        catch (final RuntimeException e)
        {
            pinned = false;
            pipeline.fail(stages[0], "could not be pinned to cpus " + Arrays.toString(cpus), e);
        }
        try
        {
            for (int phase = 0; phase < StartPhases.COUNT; phase++)
            {
                phases.awaitOpen(phase);
                for (final StageAgent stage : stages)
                {
                    if (StartPhases.phaseOf(stage) == phase)
                    {
                        if (pinned)
                        {
                            stage.start();
                        }
                        phases.started(phase);
                    }
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            pipeline.fail(stages[0], "interrupted while starting", e);
        }
        finally
        {
            started.countDown();
        }
    }

    @Override
    public int doWork()
    {
        int work = 0;
        boolean open = false;
        for (final StageAgent stage : stages)
        {
            work += stage.doWork();
            open |= !stage.isClosed();
        }
        if (!open)
        {
            throw new AgentTerminationException();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        for (final StageAgent stage : stages)
        {
            stage.close();
        }
    }

    @Override
    public String roleName()
    {
        return name;
    }
}
