package org.kotekanj.correlator.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.kotekanj.correlator.CorrelatorGeometry;
import org.kotekanj.nativeio.Libc;

/**
 * The CPU correlator's threads: the calling (stage) thread plus {@code numThreads − 1} helpers, each with its own
 * kernel worker, splitting every frequency's row blocks (baseline tiles) so each writes different sums. A job is
 * posted through volatile fields and a generation count, without allocation; helpers spin briefly, then park until
 * the next job is posted. Helper {@code i} is pinned to {@code cpus[i]} and the calling thread to {@code cpus[0]} when
 * the stage is pinned to several CPUs.
 */
final class CorrelatorThreads implements AutoCloseable
{
    private final CorrelatorGeometry geometry;
    private final CorrelationKernel.Worker[] workers;
    private final List<Thread> helpers = new ArrayList<>();
    private final int numThreads;
    private volatile long generation;
    private final AtomicLong finished = new AtomicLong();
    private volatile boolean closing;
    private volatile Throwable failure;
    private MemorySegment jobFrame;
    private MemorySegment jobSums;
    private int jobFirstTime;
    private int jobNumTime;

    CorrelatorThreads(final CorrelationKernel kernel, final CorrelatorGeometry geometry, final int numThreads,
        final int[] cpus, final String name)
    {
        this.geometry = geometry;
        this.numThreads = numThreads;
        if (numThreads > 1 && cpus.length > 1)
        {
            Libc.pinCurrentThread(new int[] {cpus[0]});  // the calling (stage) thread keeps the first CPU to itself
        }
        workers = new CorrelationKernel.Worker[numThreads];
        for (int i = 0; i < numThreads; i++)
        {
            workers[i] = kernel.newWorker(geometry.numInputs());
        }
        for (int i = 1; i < numThreads; i++)
        {
            final int index = i;
            final int cpu = cpus.length > i ? cpus[i] : -1;
            final Thread thread = new Thread(() -> helperLoop(index, cpu), name + "-" + i);
            thread.setDaemon(true);
            helpers.add(thread);
            thread.start();
        }
    }

    /** Adds samples {@code [firstTime, firstTime + numTime)} of every frequency of {@code frame} to {@code sums}. */
    void accumulate(final MemorySegment frame, final int firstTime, final int numTime, final MemorySegment sums)
    {
        jobFrame = frame;
        jobSums = sums;
        jobFirstTime = firstTime;
        jobNumTime = numTime;
        final long job = generation + 1;
        generation = job;  // volatile write publishes the job fields
        for (final Thread helper : helpers)
        {
            LockSupport.unpark(helper);
        }
        run(0);
        final long wanted = job * (numThreads - 1);
        for (int spins = 0; finished.get() < wanted; spins++)
        {
            if (failure != null)
            {
                throw new IllegalStateException("a correlator thread failed: " + failure, failure);
            }
            if (spins < 10_000)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
        if (failure != null)
        {
            throw new IllegalStateException("a correlator thread failed: " + failure, failure);
        }
    }

    private void run(final int index)
    {
        final long stride = geometry.paddedInputs();
        final long freqBytes = (long)geometry.samplesPerFrame() * stride;
        final long sumsBytes = 16L * geometry.numProducts();
        final CorrelationKernel.Worker worker = workers[index];
        for (int f = 0; f < geometry.numFreqs(); f++)
        {
            worker.accumulate(jobFrame, f * freqBytes + jobFirstTime * stride, stride, jobNumTime, jobSums,
                f * sumsBytes, index, numThreads);
        }
    }

    private void helperLoop(final int index, final int cpu)
    {
        if (cpu >= 0)
        {
            Libc.pinCurrentThread(new int[] {cpu});
        }
        long seen = 0;
        while (!closing)
        {
            final long job = generation;
            if (job == seen)
            {
                LockSupport.parkNanos(this, 100_000);
                continue;
            }
            seen = job;
            try
            {
                run(index);
            }
            catch (final Throwable t)
            {
                failure = t;
            }
            finished.incrementAndGet();
        }
    }

    int numThreads()
    {
        return numThreads;
    }

    @Override
    public void close()
    {
        closing = true;
        for (final Thread helper : helpers)
        {
            LockSupport.unpark(helper);
            try
            {
                helper.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (final CorrelationKernel.Worker worker : workers)
        {
            worker.close();
        }
    }
}
