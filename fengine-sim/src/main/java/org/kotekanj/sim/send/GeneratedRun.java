package org.kotekanj.sim.send;

import java.io.IOException;

import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.sim.packets.GroundTruth;
import org.kotekanj.sim.packets.PacketGenerator;

/**
 * What both kinds of run share: the generator they drain into one batch, its ground truth, the stop request from
 * another thread, and closing in the right order (the ground truth's end lines, then the outputs, then the batch).
 */
abstract class GeneratedRun implements SimulatorRun
{
    protected final PacketGenerator generator;
    protected final GroundTruth truth;
    protected final MmsgBatch batch;
    private volatile boolean stopRequested;

    GeneratedRun(final PacketGenerator generator, final GroundTruth truth, final MmsgBatch batch)
    {
        this.generator = generator;
        this.truth = truth;
        this.batch = batch;
    }

    /** True once {@link #requestStop()} was called: the run should stop its generator. */
    protected final boolean stopRequested()
    {
        return stopRequested;
    }

    @Override
    public final boolean isFinished()
    {
        return generator.isDone();
    }

    @Override
    public final void requestStop()
    {
        stopRequested = true;
    }

    @Override
    public final boolean hasSent(final long seq)
    {
        return generator.hasPassed(seq);
    }

    @Override
    public final GroundTruth groundTruth()
    {
        return truth;
    }

    /** Closes the sockets or files the run writes to. */
    protected abstract void closeOutputs() throws IOException;

    @Override
    public final void close() throws IOException
    {
        try
        {
            generator.finish();
            truth.close();
        }
        finally
        {
            try
            {
                closeOutputs();
            }
            finally
            {
                batch.close();
            }
        }
    }
}
