package org.kotekanj.stage;

/**
 * A pipeline stage: one file, configured once in its constructor through a {@link StageContext} (typed config reads,
 * buffer handles, metrics, endpoints), then driven by the runtime's {@link #doWork()} loop on a pinned thread.
 *
 * <p>{@code doWork} never blocks: it does what it can (typically: acquire a frame, process it, release it) and returns
 * how much it did; 0 lets the thread's idle strategy back off. This lets a 2-core machine run a whole pipeline on one
 * shared thread and a production node pin a busy-polling receiver to its own core.
 *
 * <p>Shutdown drains: a stage without inputs is asked to stop ({@link #onDrain()} until it returns true); a stage
 * with inputs stops once every input buffer is at end of stream and {@code doWork} has nothing left. Then
 * {@link #onClose()} runs on the stage's thread (writers finish their files there) and its output buffers are closed.
 */
public abstract class Stage
{
    private final String path;

    protected Stage(final StageContext context)
    {
        this.path = context.path();
    }

    /** The stage's path in the config, e.g. {@code /gpu/recv_0}: its name in logs, metrics and errors. */
    public final String path()
    {
        return path;
    }

    /**
     * Does one bounded unit of work.
     *
     * @return how much was done (frames, packets, ...); 0 if nothing was ready.
     */
    public abstract int doWork() throws Exception;

    /** Runs on the stage's thread before the first {@link #doWork()}, after pinning. */
    public void onStart() throws Exception
    {
    }

    /**
     * A stage with no inputs is asked to finish (shutdown, or after {@link #isFinished()}): flush what it holds
     * (e.g. publish partial frames) and return true when done. Called repeatedly from its thread until it returns
     * true or the shutdown timeout passes.
     */
    public boolean onDrain() throws Exception
    {
        return true;
    }

    /** Runs on the stage's thread after its last {@link #doWork()}; close files and sockets here. */
    public void onClose() throws Exception
    {
    }

    /** A source that ends by itself (a fixed count, a file replayed) returns true once done; the pipeline drains. */
    public boolean isFinished()
    {
        return false;
    }

    /** The idle strategy used when the config does not set {@code idle_strategy}. */
    public IdleStrategyName defaultIdleStrategy()
    {
        return IdleStrategyName.BACKOFF;
    }

    /** A short state line for {@code GET /status}; stages add what an operator would want to see. */
    public String statusLine()
    {
        return "";
    }
}
