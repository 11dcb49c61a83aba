package org.kotekanj.sim;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.log.Log;
import org.kotekanj.sim.send.SimulatorRun;
import org.kotekanj.stage.IdleStrategyName;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * The F-engine simulator as a pipeline stage: sends a node's streams (or writes them to a pcap file) with the
 * configured signal, rate and impairments, for a count, a duration or until the pipeline stops, and then reports
 * itself finished so the pipeline drains. Keys: see {@link SimulatorConfig}. Nothing is opened until the stage
 * starts, so {@code check} only validates.
 *
 * <p>Counters: {@code kotekan_sim_datagrams_sent_total} and {@code kotekan_sim_bytes_sent_total} (UDP payload
 * bytes), labelled with the stage's path.
 */
public final class FengineSimulator extends Stage
{
    private final SimulatorConfig config;
    private final Log log;
    private final AtomicCounter datagrams;
    private final AtomicCounter bytes;
    private SimulatorRun run;

    public FengineSimulator(final StageContext context)
    {
        super(context);
        this.config = SimulatorConfig.read(context.config());
        this.log = context.log();
        this.datagrams = context.metrics().counter("kotekan_sim_datagrams_sent_total", path());
        this.bytes = context.metrics().counter("kotekan_sim_bytes_sent_total", path());
    }

    @Override
    public void onStart() throws Exception
    {
        run = SimulatorRun.open(config, false);
        log.info("simulating " + config.table().streams().size() + " " + config.geometry().profile() +
            " streams, signal " + config.signalType() + (config.pcap() != null ? ", to " + config.pcap() :
            ", to " + config.destinations().getFirst() + (config.destinations().size() > 1 ? " ..." : "") +
                " at " + config.rate()));
    }

    @Override
    public int doWork() throws Exception
    {
        final int work = run.doWork();
        if (work > 0)
        {
            datagrams.setRelease(run.datagrams());
            bytes.setRelease(run.bytes());
        }
        return work;
    }

    @Override
    public boolean isFinished()
    {
        return run != null && run.isFinished();
    }

    /** Stops the generator and sends the packets it still holds back (reordering), then is done. */
    @Override
    public boolean onDrain() throws Exception
    {
        if (run == null)
        {
            return true;
        }
        run.requestStop();
        doWork();
        return run.isFinished();
    }

    @Override
    public void onClose() throws Exception
    {
        if (run != null)
        {
            log.info(run.report().toString());
            run.close();
        }
    }

    @Override
    public IdleStrategyName defaultIdleStrategy()
    {
        return IdleStrategyName.YIELD;
    }

    @Override
    public String statusLine()
    {
        return run == null ? "not started" : run.datagrams() + " datagrams sent";
    }
}
