package org.kotekanj.stage;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.log.Log;
import org.kotekanj.status.LatencyHistogram;
import org.kotekanj.status.MetricNames;
import org.kotekanj.status.MetricsRegistry;

/**
 * Runs one {@link Stage}: times and counts each {@code doWork}, turns an exception into a pipeline failure that names
 * the stage, and carries out the drain protocol (sources stop when asked; other stages stop once their inputs reach
 * end of stream). All of it is on the stage's own thread; the controller only sets a volatile control word.
 */
final class StageAgent
{
    static final int RUN = 0;
    static final int STOP = 1;
    static final int FORCE = 2;

    private final Stage stage;
    private final StageType type;
    private final StageContext context;
    private final Pipeline pipeline;
    private final int[] cpus;
    private final IdleStrategyName idleStrategy;
    private final ThreadingMode threadingMode;
    private final Log log;
    private final boolean source;
    private AtomicCounter workCycles;
    private AtomicCounter idleCycles;
    private AtomicCounter workDone;
    private AtomicCounter maxCycle;
    private AtomicCounter idleRatio;
    private AtomicCounter errors;
    private LatencyHistogram cycleTime;
    private long maxCycleNanos;
    private long lastWork;
    private long lastIdle;
    private volatile int control = RUN;
    private volatile boolean closed;
    private volatile String threadName = "";

    StageAgent(final Stage stage, final StageType type, final StageContext context, final Pipeline pipeline,
        final int[] cpus, final IdleStrategyName idleStrategy, final ThreadingMode threadingMode, final Log log)
    {
        this.stage = stage;
        this.type = type;
        this.context = context;
        this.pipeline = pipeline;
        this.cpus = cpus;
        this.idleStrategy = idleStrategy;
        this.threadingMode = threadingMode;
        this.log = log;
        this.source = context.consumers().isEmpty();
    }

    void bindMetrics(final MetricsRegistry metrics)
    {
        final String path = stage.path();
        workCycles = metrics.counter(MetricNames.STAGE_WORK_CYCLES, path);
        idleCycles = metrics.counter(MetricNames.STAGE_IDLE_CYCLES, path);
        workDone = metrics.counter(MetricNames.STAGE_WORK_DONE, path);
        maxCycle = metrics.gaugeNanos(MetricNames.STAGE_MAX_CYCLE, path);
        idleRatio = metrics.gaugeRatio(MetricNames.STAGE_IDLE_RATIO, path);
        errors = metrics.counter(MetricNames.STAGE_ERRORS, path);
        cycleTime = metrics.latencyHistogram(MetricNames.STAGE_CYCLE_TIME, path);
        metrics.onSample(this::sample);
    }

    private void sample()
    {
        final long work = workCycles.get();
        final long idle = idleCycles.get();
        final long cycles = (work - lastWork) + (idle - lastIdle);
        if (cycles > 0)
        {
            idleRatio.setRelease((idle - lastIdle) * 1_000_000 / cycles);
        }
        lastWork = work;
        lastIdle = idle;
    }

    Stage stage()
    {
        return stage;
    }

    StageType type()
    {
        return type;
    }

    StageContext context()
    {
        return context;
    }

    int[] cpus()
    {
        return cpus;
    }

    IdleStrategyName idleStrategy()
    {
        return idleStrategy;
    }

    ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    boolean isClosed()
    {
        return closed;
    }

    String threadName()
    {
        return threadName;
    }

    void requestStop()
    {
        if (control == RUN)
        {
            control = STOP;
        }
    }

    void force()
    {
        control = FORCE;
    }

    void start()
    {
        threadName = Thread.currentThread().getName();
        try
        {
            stage.onStart();
            log.info("started (" + type.name() + ", " + threadingMode.name().toLowerCase() + " thread " +
                threadName + ")");
        }
        catch (final Throwable t)
        {
            errors.incrementRelease();
            pipeline.failStart(this, t);
            close();
        }
    }

    /** One cycle: the stage's work, timed and counted, then the stop checks. */
    int doWork()
    {
        if (closed)
        {
            return 0;
        }
        if (control == FORCE)
        {
            close();
            return 0;
        }
        final int work;
        final long start = System.nanoTime();
        try
        {
            work = stage.doWork();
        }
        catch (final Throwable t)
        {
            fail("failed", t);
            return 0;
        }
        final long elapsed = System.nanoTime() - start;
        if (work > 0)
        {
            workCycles.incrementRelease();
            workDone.getAndAddRelease(work);
            cycleTime.recordNanos(elapsed);
            if (elapsed > maxCycleNanos)
            {
                maxCycleNanos = elapsed;
                maxCycle.setRelease(elapsed);
            }
        }
        else
        {
            idleCycles.incrementRelease();
        }
        if ((work == 0 || source) && shouldFinish(control))
        {
            finish();
        }
        return work;
    }

    private boolean shouldFinish(final int control)
    {
        if (source)
        {
            return control == STOP || stage.isFinished();
        }
        for (final FrameConsumer consumer : context.consumers())
        {
            if (!consumer.isEndOfStream())
            {
                return false;
            }
        }
        return true;
    }

    private void finish()
    {
        try
        {
            if (!stage.onDrain())
            {
                return;
            }
        }
        catch (final Throwable t)
        {
            fail("failed while draining", t);
            return;
        }
        close();
    }

    /** Closes the stage on its own thread: {@code onClose}, then its buffer handles. Idempotent. */
    void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            stage.onClose();
        }
        catch (final Throwable t)
        {
            errors.incrementRelease();
            pipeline.fail(this, "failed while closing", t);
        }
        for (final FrameProducer producer : context.producers())
        {
            producer.close();
        }
        for (final FrameConsumer consumer : context.consumers())
        {
            consumer.close();
        }
        log.info("stopped");
        pipeline.stageClosed(this);
    }

    private void fail(final String what, final Throwable t)
    {
        errors.incrementRelease();
        pipeline.fail(this, what, t);
        close();
    }
}
