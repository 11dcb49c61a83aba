package org.kotekanj.correlator.cpu;

import java.lang.foreign.MemorySegment;

import org.kotekanj.correlator.CorrelatorBackend;
import org.kotekanj.correlator.CorrelatorGeometry;

/**
 * The CPU X-engine behind the {@code Correlator} stage: exact int64 sums from a {@link CorrelationKernel} on
 * {@code num_threads} threads. Synchronous: each call has finished its work when it returns, so it never holds a
 * frame and every counter is up to date at once.
 */
public final class CpuCorrelatorBackend implements CorrelatorBackend
{
    private final CorrelatorGeometry geometry;
    private final CorrelationKernel kernel;
    private final CorrelatorThreads threads;
    private MemorySegment sums;
    private long framesRetired;
    private long integrationsCompleted;

    public CpuCorrelatorBackend(final CorrelatorGeometry geometry, final CorrelationKernel kernel,
        final int numThreads, final int[] cpus)
    {
        this.geometry = geometry;
        this.kernel = kernel;
        this.threads = new CorrelatorThreads(kernel, geometry, numThreads, cpus, "kj-corr");
    }

    @Override
    public String name()
    {
        return "cpu";
    }

    @Override
    public String device()
    {
        return kernel.name() + ", " + threads.numThreads() + " thread" + (threads.numThreads() == 1 ? "" : "s");
    }

    @Override
    public CorrelatorGeometry geometry()
    {
        return geometry;
    }

    @Override
    public int maxFramesInFlight()
    {
        return 1;
    }

    @Override
    public void beginIntegration(final MemorySegment visibilities)
    {
        if (sums != null)
        {
            throw new IllegalStateException("an integration is already open");
        }
        if (visibilities.byteSize() != geometry.visibilityBytes())
        {
            throw new IllegalArgumentException("visibilities must be " + geometry.visibilityBytes() + " bytes, found " +
                visibilities.byteSize());
        }
        visibilities.fill((byte)0);
        sums = visibilities;
    }

    @Override
    public void accumulate(final MemorySegment frame, final int firstTime, final int numTime,
        final boolean lastUseOfFrame)
    {
        if (sums == null)
        {
            throw new IllegalStateException("no integration is open");
        }
        if (firstTime < 0 || numTime < 0 || firstTime + numTime > geometry.samplesPerFrame() ||
            frame.byteSize() < geometry.frameBytes())
        {
            throw new IllegalArgumentException("samples [" + firstTime + ", " + (firstTime + numTime) +
                ") of a frame of " + frame.byteSize() + " bytes do not fit " + geometry);
        }
        if (numTime > 0)
        {
            threads.accumulate(frame, firstTime, numTime, sums);
        }
        if (lastUseOfFrame)
        {
            framesRetired++;
        }
    }

    @Override
    public void endIntegration()
    {
        if (sums == null)
        {
            throw new IllegalStateException("no integration is open");
        }
        sums = null;
        integrationsCompleted++;
    }

    @Override
    public long framesRetired()
    {
        return framesRetired;
    }

    @Override
    public long integrationsCompleted()
    {
        return integrationsCompleted;
    }

    @Override
    public void close()
    {
        threads.close();
    }
}
