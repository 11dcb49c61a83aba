package org.kotekanj.stage;

import org.kotekanj.nativeio.Libc;

/**
 * What a test stage saw of its own thread: when it started, which thread ran it, the CPUs that thread could use
 * (read with {@code sched_getaffinity} from inside the stage) and whether {@code onClose} ran.
 */
public final class StageProbe
{
    private volatile long startNanos;
    private volatile String threadName;
    private volatile int[] affinity;
    private volatile boolean closed;

    void started()
    {
        startNanos = System.nanoTime();
        threadName = Thread.currentThread().getName();
    }

    void working()
    {
        if (affinity == null)
        {
            affinity = Libc.currentThreadAffinity();
        }
    }

    void closed()
    {
        closed = true;
    }

    public long startNanos()
    {
        return startNanos;
    }

    public String threadName()
    {
        return threadName;
    }

    public int[] affinity()
    {
        return affinity;
    }

    public boolean isClosed()
    {
        return closed;
    }
}
