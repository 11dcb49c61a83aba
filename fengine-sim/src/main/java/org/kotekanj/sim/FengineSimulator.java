package org.kotekanj.sim;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.log.Log;
import org.kotekanj.sim.send.SimulatorRun;
import org.kotekanj.sim.trigger.FrbTriggerConfig;
import org.kotekanj.sim.trigger.FrbTriggerOutcome;
import org.kotekanj.sim.trigger.FrbTriggerScheduler;
import org.kotekanj.stage.IdleStrategyName;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * The F-engine simulator as a pipeline stage: sends a node's streams (or writes them to a pcap file) with the
 * configured signal, rate and impairments, for a count, a duration or until the pipeline stops, and then reports
 * itself finished so the pipeline drains. Keys: see {@link SimulatorConfig}. Nothing is opened until the stage
 * starts, so {@code check} only validates.
 *
 * <p>With an {@code frb_trigger:} block the stage also posts the burst's trigger to a node once t0 has been sent
 * ({@link FrbTriggerScheduler}), and drains only when its outcome is in (or abandoned after latency + 2 s).
 *
 * <p>Counters: {@code kotekan_sim_datagrams_sent_total} and {@code kotekan_sim_bytes_sent_total} (UDP payload
 * bytes); {@code kotekan_sim_triggers_sent_total} (triggers the node accepted) and
 * {@code kotekan_sim_trigger_errors_total} (refused, or no reply); all labelled with the stage's path.
 */
public final class FengineSimulator extends Stage
{
    private final SimulatorConfig config;
    private final Log log;
    private final AtomicCounter datagrams;
    private final AtomicCounter bytes;
    private final AtomicCounter triggersSent;
    private final AtomicCounter triggerErrors;
    private SimulatorRun run;
    private FrbTriggerScheduler trigger;

    public FengineSimulator(final StageContext context)
    {
        super(context);
        this.config = SimulatorConfig.read(context.config());
        this.log = context.log();
        this.datagrams = context.metrics().counter("kotekan_sim_datagrams_sent_total", path());
        this.bytes = context.metrics().counter("kotekan_sim_bytes_sent_total", path());
        this.triggersSent = context.metrics().counter("kotekan_sim_triggers_sent_total", path());
        this.triggerErrors = context.metrics().counter("kotekan_sim_trigger_errors_total", path());
    }

    @Override
    public void onStart() throws Exception
    {
        run = SimulatorRun.open(config, false);
        log.info("simulating " + config.table().streams().size() + " " + config.geometry().profile() +
            " streams, signal " + config.signalType() + (config.pcap() != null ? ", to " + config.pcap() :
            ", to " + config.destinations().getFirst() + (config.destinations().size() > 1 ? " ..." : "") +
                " at " + config.rate()));
        final FrbTriggerConfig frbTrigger = config.frbTrigger();
        if (frbTrigger != null)
        {
            trigger = new FrbTriggerScheduler(frbTrigger, this::countTrigger);
            log.info("frb trigger event " + frbTrigger.request().eventId() + " to " + frbTrigger.url() + " " +
                frbTrigger.latency().toMillis() / 1e3 + " s after t0_seq " + frbTrigger.t0Seq() + " is sent");
        }
    }

    @Override
    public int doWork() throws Exception
    {
        final int work = run.doWork();
        if (work > 0)
        {
            datagrams.setRelease(run.datagrams());
            bytes.setRelease(run.bytes());
            if (trigger != null)
            {
                trigger.afterSend(run);
            }
        }
        return work;
    }

    @Override
    public boolean isFinished()
    {
        return run != null && run.isFinished();
    }

    /**
     * Stops the generator and sends the packets it still holds back (reordering), then is done once a posted trigger
     * has its outcome (polled, so a shared thread's other stages keep running).
     */
    @Override
    public boolean onDrain() throws Exception
    {
        if (run == null)
        {
            return true;
        }
        run.requestStop();
        doWork();
        return run.isFinished() && (trigger == null || trigger.isSettled());
    }

    @Override
    public void onClose() throws Exception
    {
        if (trigger != null)
        {
            if (!trigger.isPosted())
            {
                log.warn("no frb trigger posted: the run ended before t0_seq " + config.frbTrigger().t0Seq() +
                    " was sent");
            }
            trigger.close();
        }
        if (run != null)
        {
            log.info(run.report().toString());
            run.close();
        }
    }

    /** On an HTTP or timer thread: the counters are atomic and the log is the cold path. */
    private void countTrigger(final FrbTriggerOutcome outcome)
    {
        if (outcome.accepted())
        {
            triggersSent.increment();
            log.info(outcome.toString());
        }
        else
        {
            triggerErrors.increment();
            log.warn(outcome.toString());
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
