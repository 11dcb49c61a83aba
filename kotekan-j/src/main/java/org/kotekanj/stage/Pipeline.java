package org.kotekanj.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.PageBacking;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.status.MetricNames;
import org.kotekanj.status.MetricsRegistry;

/**
 * A built pipeline: buffers and stages from one config, started and stopped as a whole.
 *
 * <p>Start maps every buffer, then starts the stages in waves ({@link StartPhases}): readers, then buffer fillers,
 * then stages that only talk to the outside, so that nothing is produced before its readers run. Stop drains: sources stop, their last frames flow downstream, each stage stops once its
 * inputs are at end of stream (writers close their files in {@code onClose}); after {@code shutdown_timeout_s}
 * whatever is left is closed without draining. A stage that throws stops the whole pipeline and is reported by name.
 */
public final class Pipeline
{
    /** Lifecycle states, as {@code GET /status} shows them. */
    public enum State
    {
        BUILT, RUNNING, STOPPING, STOPPED, FAILED
    }

    private final ConfigNode config;
    private final Map<String, FrameBuffer> buffers;
    private final Map<String, String> bufferPaths;
    private final Map<String, UpdateEndpoint> updateEndpoints;
    private final List<StageAgent> stages = new ArrayList<>();
    private final Duration shutdownTimeout;
    private final String owner;
    private final Log log = Log.of("pipeline");
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicReference<String> startFailure = new AtomicReference<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private CountDownLatch stagesOpen;
    private volatile State state = State.BUILT;
    private EndpointRegistry endpoints;
    private long startedAtMs;

    Pipeline(final ConfigNode config, final Map<String, FrameBuffer> buffers, final Map<String, String> bufferPaths,
        final Map<String, UpdateEndpoint> updateEndpoints, final Duration shutdownTimeout)
    {
        this.config = config;
        this.buffers = buffers;
        this.bufferPaths = bufferPaths;
        this.updateEndpoints = updateEndpoints;
        this.shutdownTimeout = shutdownTimeout;
        this.owner = "pipeline@" + Integer.toHexString(System.identityHashCode(this));
    }

    void add(final StageAgent stage)
    {
        stages.add(stage);
    }

    List<StageAgent> stageAgents()
    {
        return stages;
    }

    public ConfigNode config()
    {
        return config;
    }

    public State state()
    {
        return state;
    }

    public Map<String, FrameBuffer> buffers()
    {
        return buffers;
    }

    /** The stage at a config path, for tests and tools that drive a pipeline from outside. */
    public Stage stage(final String path)
    {
        for (final StageAgent agent : stages)
        {
            if (agent.stage().path().equals(path))
            {
                return agent.stage();
            }
        }
        return null;
    }

    /** The first failure, naming the stage, or {@code null}. */
    public String failure()
    {
        return failure.get();
    }

    /**
     * Maps buffers, registers metrics and endpoints, and starts every thread. Throws (after cleaning up) if a buffer
     * cannot be mapped or a thread cannot be pinned.
     */
    public synchronized void start(final MetricsRegistry metrics, final EndpointRegistry endpoints)
    {
        if (state != State.BUILT)
        {
            throw new IllegalStateException("pipeline already started");
        }
        this.endpoints = endpoints;
        try
        {
            for (final Map.Entry<String, FrameBuffer> entry : buffers.entrySet())
            {
                final FrameBuffer buffer = entry.getValue();
                buffer.allocate(metrics);
                bindBufferMetrics(metrics, buffer);
                log.info("buffer " + buffer.name() + ": " + buffer.numFrames() + " x " + buffer.frameSize() +
                    " B, pages " + buffer.backing().kind() + " (hugepages: " + buffer.hugePages().configName() + ")");
            }
            for (final StageAgent stage : stages)
            {
                stage.bindMetrics(metrics);
            }
            registerEndpoints(endpoints);
            for (final UpdateEndpoint update : updateEndpoints.values())
            {
                update.publishInitial();
            }
            stagesOpen = new CountDownLatch(stages.size());
            state = State.RUNNING;
            startedAtMs = System.currentTimeMillis();
            startThreads();
        }
        catch (final RuntimeException e)
        {
            failure.compareAndSet(null, e.getMessage());
            state = State.FAILED;
            closeRunners();
            releaseResources();
            throw e;
        }
    }

    private void startThreads()
    {
        final List<StageGroup> groups = new ArrayList<>();
        final List<StageAgent> shared = new ArrayList<>();
        final StartPhases phases = new StartPhases(stages);
        for (int i = stages.size() - 1; i >= 0; i--)
        {
            final StageAgent stage = stages.get(i);
            if (stage.threadingMode() == ThreadingMode.SHARED)
            {
                shared.add(stage);
            }
            else
            {
                groups.add(new StageGroup(threadName(stage.stage().path()), List.of(stage), this, phases));
            }
        }
        if (!shared.isEmpty())
        {
            groups.add(0, new StageGroup(threadName("shared"), shared, this, phases));
        }
        for (final StageGroup group : groups)
        {
            final AgentRunner runner = new AgentRunner(group.idleStrategy().create(), t ->
            {
                if (!(t instanceof AgentTerminationException))
                {
                    fail(null, "thread " + group.roleName() + " failed", t);
                }
            }, null, group);
            runners.add(runner);
            AgentRunner.startOnThread(runner, r ->
            {
                final Thread thread = new Thread(r, group.roleName());
                thread.setDaemon(false);
                return thread;
            });
        }
        try
        {
            if (!phases.run(30))
            {
                phases.abort();
                throw new IllegalStateException("stages did not start in 30 s");
            }
            for (final StageGroup group : groups)
            {
                if (!group.started().await(30, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("stage thread " + group.roleName() + " did not start in 30 s");
                }
            }
            if (startFailure.get() != null)
            {
                throw new IllegalStateException(startFailure.get());
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            phases.abort();
            throw new IllegalStateException("interrupted while starting stages");
        }
    }

    /** Agrona names a runner's thread after its agent's role, so the role is the thread name: {@code kj-gpu-recv_0}. */
    private static String threadName(final String role)
    {
        return "kj" + role.replace('/', '-');
    }

    private void registerEndpoints(final EndpointRegistry registry)
    {
        for (final StageAgent stage : stages)
        {
            for (final StageContext.StageEndpoint endpoint : stage.context().endpoints())
            {
                registry.add(endpoint.method(), endpoint.path(), owner, endpoint.description(), endpoint.handler());
            }
        }
        for (final UpdateEndpoint update : updateEndpoints.values())
        {
            registry.add("GET", update.restPath(), owner, "current values of " + update.path(), update::get);
            registry.add("POST", update.restPath(), owner, "update values of " + update.path(), update::post);
        }
    }

    private void bindBufferMetrics(final MetricsRegistry metrics, final FrameBuffer buffer)
    {
        final String path = bufferPaths.get(buffer.name());
        final AtomicCounter full = metrics.gauge(MetricNames.BUFFER_FRAMES_FULL, path, "buffer", buffer.name());
        final AtomicCounter inFlight = metrics.gauge(MetricNames.BUFFER_FRAMES_IN_FLIGHT, path, "buffer",
            buffer.name());
        final AtomicCounter fill = metrics.gaugeRatio(MetricNames.BUFFER_FILL_RATIO, path, "buffer", buffer.name());
        final AtomicCounter huge = metrics.gaugeRatio(MetricNames.BUFFER_HUGE_PAGE_RATIO, path, "buffer",
            buffer.name());
        huge.setRelease((long)(buffer.backing().hugeFraction() * 1_000_000));
        metrics.onSample(() ->
        {
            if (buffer.isAllocated())
            {
                final long frames = buffer.framesInFlight();
                full.setRelease(buffer.framesFull());
                inFlight.setRelease(frames);
                fill.setRelease(Math.min(frames, buffer.numFrames()) * 1_000_000 / buffer.numFrames());
            }
        });
    }

    /** Starts a drain (idempotent); returns at once. */
    public void requestStop()
    {
        if (state == State.RUNNING)
        {
            state = State.STOPPING;
            log.info("stopping: draining buffers");
        }
        for (final StageAgent stage : stages)
        {
            stage.requestStop();
        }
    }

    /**
     * Drains and waits: returns true if every stage closed in time (otherwise the rest are closed without draining).
     */
    public boolean stop()
    {
        requestStop();
        final boolean drained = awaitStages(shutdownTimeout);
        if (!drained)
        {
            log.warn("drain did not finish in " + shutdownTimeout.toMillis() / 1000.0 +
                " s; closing the remaining stages");
            for (final StageAgent stage : stages)
            {
                stage.force();
            }
            awaitStages(Duration.ofSeconds(10));
        }
        closeRunners();
        releaseResources();
        return drained;
    }

    /** Waits until every stage has closed (by draining, finishing on its own, or failing). */
    public boolean awaitStages(final Duration timeout)
    {
        if (stagesOpen == null)
        {
            return true;
        }
        try
        {
            return stagesOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Blocks until the pipeline ends by itself or fails, then releases everything. */
    public void awaitTermination()
    {
        while (!awaitStages(Duration.ofSeconds(1)))
        {
            Thread.onSpinWait();
        }
        closeRunners();
        releaseResources();
    }

    void stageClosed(final StageAgent stage)
    {
        if (stagesOpen != null)
        {
            stagesOpen.countDown();
        }
    }

    /**
     * A stage could not start (a port in use, a device missing): the pipeline stops and {@link #start} throws with
     * one sentence in the operator's words (no exception class: the cause is outside the program).
     */
    void failStart(final StageAgent stage, final Throwable t)
    {
        final String message = "stage " + stage.stage().path() + ": " +
            (t.getMessage() != null ? t.getMessage() : t.toString());
        startFailure.compareAndSet(null, message);
        if (failure.compareAndSet(null, message))
        {
            log.error(message);
            state = State.FAILED;
            for (final StageAgent other : stages)
            {
                other.force();
            }
        }
    }

    void fail(final StageAgent stage, final String what, final Throwable t)
    {
        final String message = (stage == null ? "" : "stage " + stage.stage().path() + " (" + stage.type().name() +
            ") ") + what + ": " + t + location(t);
        if (failure.compareAndSet(null, message))
        {
            log.error(message);
            state = State.FAILED;
            for (final StageAgent other : stages)
            {
                other.force();
            }
        }
    }

    private static String location(final Throwable t)
    {
        final StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
    }

    private synchronized void closeRunners()
    {
        for (final AgentRunner runner : runners)
        {
            runner.close();
        }
        runners.clear();
    }

    private synchronized void releaseResources()
    {
        if (endpoints != null)
        {
            endpoints.removeOwner(owner);
        }
        for (final FrameBuffer buffer : buffers.values())
        {
            buffer.close();
        }
        if (state != State.FAILED)
        {
            state = State.STOPPED;
        }
    }

    /** What {@code GET /status} shows. */
    public ObjectNode status()
    {
        final ObjectNode status = Json.object();
        status.put("state", state.name().toLowerCase());
        if (failure.get() != null)
        {
            status.put("failure", failure.get());
        }
        status.put("uptime_seconds", startedAtMs == 0 ? 0 : (System.currentTimeMillis() - startedAtMs) / 1000.0);
        final ArrayNode list = status.putArray("stages");
        for (final StageAgent agent : stages)
        {
            final ObjectNode item = list.addObject();
            item.put("stage_name", agent.stage().path());
            item.put("type", agent.type().name());
            item.put("state", agent.isClosed() ? "closed" : state == State.BUILT ? "built" : "running");
            item.put("thread", agent.threadName());
            item.put("threading_mode", agent.threadingMode().name().toLowerCase());
            item.put("idle_strategy", agent.idleStrategy().name().toLowerCase());
            final ArrayNode cpus = item.putArray("cpu_affinity");
            Arrays.stream(agent.cpus()).forEach(cpus::add);
            final String line = agent.stage().statusLine();
            if (!line.isEmpty())
            {
                item.put("status", line);
            }
        }
        return status;
    }

    /** What {@code GET /buffers} shows. */
    public ObjectNode buffersStatus()
    {
        final ObjectNode all = Json.object();
        for (final FrameBuffer buffer : buffers.values())
        {
            final ObjectNode item = all.putObject(buffer.name());
            item.put("path", bufferPaths.get(buffer.name()));
            item.put("num_frames", buffer.numFrames());
            item.put("frame_size", buffer.frameSize());
            item.put("metadata_kind", buffer.metadataKind());
            item.put("metadata_size", buffer.metadataSize());
            item.put("frames_full", buffer.framesFull());
            item.put("frames_in_flight", buffer.framesInFlight());
            final PageBacking backing = buffer.backing();
            item.put("hugepages", buffer.hugePages().configName());
            item.put("pages", backing.kind());
            item.put("huge_page_fraction", backing.hugeFraction());
            final ArrayNode producers = item.putArray("producers");
            for (final FrameProducer producer : buffer.producers())
            {
                producers.addObject().put("stage_name", producer.stageName())
                    .put("published", producer.publishedSequence());
            }
            final ArrayNode consumers = item.putArray("consumers");
            for (final FrameConsumer consumer : buffer.consumers())
            {
                consumers.addObject().put("stage_name", consumer.stageName())
                    .put("acquired", consumer.acquiredSequence());
            }
        }
        return all;
    }

    /** Stage paths in start order, for logs and tests. */
    public List<String> stagePaths()
    {
        final List<String> paths = new ArrayList<>();
        stages.forEach(s -> paths.add(s.stage().path()));
        return paths;
    }

    Map<String, String> bufferPaths()
    {
        return new LinkedHashMap<>(bufferPaths);
    }
}
