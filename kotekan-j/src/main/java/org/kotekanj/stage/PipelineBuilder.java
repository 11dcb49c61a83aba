package org.kotekanj.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigValue;
import org.kotekanj.config.StageConfig;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.CpuTopology;
import org.kotekanj.nativeio.HugePageStatus;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;
import org.kotekanj.status.MetricsRegistry;

/**
 * Turns a config tree into a {@link Pipeline} without touching memory or threads, recording every problem: unknown
 * stage types (with the closest name), keys no stage reads, bad types and expressions, missing, unused, unproduced
 * or unconsumed buffers, frame sizes a stage cannot use, CPUs and NUMA nodes the machine does not have, and buffers
 * that would not fit in RAM. {@code check} is this builder; {@code run} refuses to start if it found anything.
 */
public final class PipelineBuilder
{
    /** Metadata pool kinds, with Kotekan's CHIME name as an alias of ours. */
    private static final Map<String, String> METADATA_KINDS = Map.of(
        FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.KIND,
        "chimeMetadata", FrameMetadataDescriptor.KIND);
    private static final Set<String> STAGE_RUNTIME_KEYS = Set.of(ConfigNode.STAGE, "log_level");

    private final StageRegistry registry;
    private final MetricsRegistry metrics;
    private final CpuTopology topology;
    private final ConfigErrors errors;
    /** Buffers declared with sizes that have errors: stages naming them get no handle and no second error. */
    private final Set<String> unusableBuffers = new HashSet<>();
    /** The {@code hugepages: required} settings of the buffers read, with the 2 MiB pages each maps. */
    private final List<Map.Entry<ConfigValue, Long>> requiredHugePages = new ArrayList<>();

    private PipelineBuilder(final StageRegistry registry, final MetricsRegistry metrics, final CpuTopology topology,
        final ConfigErrors errors)
    {
        this.registry = registry;
        this.metrics = metrics;
        this.topology = topology;
        this.errors = errors;
    }

    /** Builds a pipeline; the result must not be started if {@code errors} is not empty. */
    public static Pipeline build(final ConfigNode root, final StageRegistry registry, final MetricsRegistry metrics,
        final ConfigErrors errors)
    {
        return new PipelineBuilder(registry, metrics, CpuTopology.read(), errors).build(root);
    }

    /** As {@link #build(ConfigNode, StageRegistry, MetricsRegistry, ConfigErrors)} with a given CPU topology. */
    public static Pipeline build(final ConfigNode root, final StageRegistry registry, final MetricsRegistry metrics,
        final CpuTopology topology, final ConfigErrors errors)
    {
        return new PipelineBuilder(registry, metrics, topology, errors).build(root);
    }

    private Pipeline build(final ConfigNode root)
    {
        final List<ConfigNode> stageNodes = new ArrayList<>();
        final List<ConfigNode> bufferNodes = new ArrayList<>();
        final List<ConfigNode> poolNodes = new ArrayList<>();
        final List<ConfigNode> updateNodes = new ArrayList<>();
        collect(root, stageNodes, bufferNodes, poolNodes, updateNodes);

        final StageConfig rootConfig = new StageConfig(root, errors);
        final Duration shutdownTimeout = Duration.ofMillis((long)(1000 * rootConfig.getDouble("shutdown_timeout_s", 10)));

        final Map<String, String> pools = readPools(poolNodes);
        final Map<String, FrameBuffer> buffers = new LinkedHashMap<>();
        final Map<String, String> bufferPaths = new LinkedHashMap<>();
        final Map<String, ConfigNode> bufferNodeByName = new HashMap<>();
        for (final ConfigNode node : bufferNodes)
        {
            final FrameBuffer buffer = readBuffer(node, pools);
            if (buffer == null)
            {
                continue;
            }
            if (buffers.containsKey(buffer.name()))
            {
                errors.at(node, "a buffer named " + buffer.name() + " is already declared at " +
                    bufferPaths.get(buffer.name()));
                continue;
            }
            buffers.put(buffer.name(), buffer);
            bufferPaths.put(buffer.name(), node.path());
            bufferNodeByName.put(buffer.name(), node);
        }
        checkMemory(root, buffers);

        final Map<String, UpdateEndpoint> updates = new LinkedHashMap<>();
        for (final ConfigNode node : updateNodes)
        {
            final ConfigValue kind = node.own(ConfigNode.UPDATE_ENDPOINT);
            if (!"json".equals(kind.raw()))
            {
                errors.at(kind, "kotekan_update_endpoint must be \"json\", found " + kind.describeType());
            }
            for (final ConfigValue value : node.values())
            {
                // JSON has no NaN or infinity: a value served and updated over REST is a finite number.
                if (value.raw() instanceof Double d && !Double.isFinite(d))
                {
                    errors.at(value, "an updatable value must be a finite number, found " + d);
                }
            }
            updates.put(node.path(), new UpdateEndpoint(node));
        }

        final Pipeline pipeline = new Pipeline(root, buffers, bufferPaths, updates, shutdownTimeout);
        final List<StageAgent> agents = new ArrayList<>();
        for (final ConfigNode node : stageNodes)
        {
            final StageAgent agent = readStage(node, pipeline, buffers, updates);
            if (agent != null)
            {
                agents.add(agent);
            }
        }
        for (final Map.Entry<String, FrameBuffer> entry : buffers.entrySet())
        {
            final FrameBuffer buffer = entry.getValue();
            final ConfigNode node = bufferNodeByName.get(entry.getKey());
            final boolean unread = buffer.consumers().isEmpty() && buffer.readers().isEmpty();
            if (buffer.producers().isEmpty() && unread)
            {
                errors.at(node, "buffer " + buffer.name() + " is unused: no stage reads or writes it");
            }
            else if (buffer.producers().isEmpty())
            {
                errors.at(node, "buffer " + buffer.name() + " has no producer: no stage names it as an output");
            }
            else if (unread)
            {
                errors.at(node, "buffer " + buffer.name() + " has no consumer: no stage names it as an input");
            }
        }
        for (final StageAgent agent : order(agents))
        {
            pipeline.add(agent);
        }
        return pipeline;
    }

    private void collect(final ConfigNode node, final List<ConfigNode> stages, final List<ConfigNode> buffers,
        final List<ConfigNode> pools, final List<ConfigNode> updates)
    {
        final int kinds = (node.own(ConfigNode.STAGE) != null ? 1 : 0) + (node.own(ConfigNode.BUFFER) != null ? 1 : 0) +
            (node.own(ConfigNode.METADATA_POOL) != null ? 1 : 0) + (node.own(ConfigNode.UPDATE_ENDPOINT) != null ? 1 : 0);
        if (kinds > 1)
        {
            errors.at(node, "a node declares one thing: kotekan_stage, kotekan_buffer, kotekan_metadata_pool or " +
                "kotekan_update_endpoint");
            return;
        }
        final String kind = node.kind();
        if (kind == null)
        {
            for (final ConfigNode child : node.children())
            {
                collect(child, stages, buffers, pools, updates);
            }
            return;
        }
        switch (kind)
        {
            case ConfigNode.STAGE -> stages.add(node);
            case ConfigNode.BUFFER -> buffers.add(node);
            case ConfigNode.METADATA_POOL -> pools.add(node);
            default -> updates.add(node);
        }
    }

    private Map<String, String> readPools(final List<ConfigNode> nodes)
    {
        final Map<String, String> pools = new HashMap<>();
        for (final ConfigNode node : nodes)
        {
            final StageConfig config = new StageConfig(node, errors);
            final String kind = config.getString(ConfigNode.METADATA_POOL);
            final String canonical = METADATA_KINDS.get(kind);
            if (canonical == null)
            {
                config.error(ConfigNode.METADATA_POOL, "unknown metadata kind '" + kind + "'; known: " +
                    String.join(", ", new TreeSet<>(METADATA_KINDS.keySet())));
            }
            config.getLong("num_metadata_objects", 0);
            reportUnread(config, Set.of());
            pools.put(node.name(), canonical);
        }
        return pools;
    }

    private FrameBuffer readBuffer(final ConfigNode node, final Map<String, String> pools)
    {
        final StageConfig config = new StageConfig(node, errors);
        final String type = config.getString(ConfigNode.BUFFER);
        if (!"standard".equals(type))
        {
            config.error(ConfigNode.BUFFER, "unknown buffer type '" + type + "'; known: standard");
        }
        final int numFrames = config.has("ring_seconds") ? ringFrames(config) : config.getInt("num_frames");
        final long frameSize = config.getLong("frame_size");
        final int numaNode = config.getInt("numa_node", -1);
        final HugePages hugePages = config.getEnum("hugepages", HugePages.class, HugePages.AUTO);
        final String poolName = config.getString("metadata_pool", null);
        String kind = null;
        if (poolName != null)
        {
            if (!pools.containsKey(poolName))
            {
                config.error("metadata_pool", "no kotekan_metadata_pool named '" + poolName + "'");
            }
            kind = pools.get(poolName);
        }
        reportUnread(config, Set.of());
        // A value that did not read already has its error (StageConfig.error skips keys in error).
        if (numFrames < 1)
        {
            config.error("num_frames", "must be at least 1, found " + numFrames);
        }
        if (frameSize < 1)
        {
            config.error("frame_size", "must be positive, found " + frameSize);
        }
        if (numaNode >= 0 && !topology.hasNode(numaNode))
        {
            config.error("numa_node", "NUMA node " + numaNode + " does not exist (online: " +
                topology.describeNodes() + ")");
        }
        if (numFrames < 1 || frameSize < 1)
        {
            unusableBuffers.add(node.name());
            return null;
        }
        if (hugePages == HugePages.REQUIRED)
        {
            final long bytes = frameSize > Long.MAX_VALUE / numFrames ? Long.MAX_VALUE : frameSize * numFrames;
            requiredHugePages.add(Map.entry(config.origin("hugepages"), MappedMemory.hugePagesFor(bytes)));
        }
        return new FrameBuffer(node.name(), numFrames, frameSize, hugePages, numaNode, kind);
    }

    /**
     * A ring sized in seconds (the baseband ring is the receive buffer): {@code ring_seconds} of data in frames of
     * {@code frame_seconds} each, instead of {@code num_frames}.
     */
    private static int ringFrames(final StageConfig config)
    {
        final double seconds = config.getDouble("ring_seconds");
        final double frameSeconds = config.getDouble("frame_seconds");
        if (config.has("num_frames"))
        {
            config.error("num_frames", "set either num_frames or ring_seconds (with frame_seconds), not both");
        }
        if (!(seconds > 0) || !(frameSeconds > 0))
        {
            config.error("ring_seconds", "a ring needs positive ring_seconds and frame_seconds, found " + seconds +
                " and " + frameSeconds);
            return 0;
        }
        final double frames = Math.ceil(seconds / frameSeconds - 1e-9);
        if (frames > Integer.MAX_VALUE)
        {
            config.error("ring_seconds", seconds + " s of " + frameSeconds + " s frames is more than " +
                Integer.MAX_VALUE + " frames");
            return 0;
        }
        return Math.max(1, (int)frames);
    }

    private void checkMemory(final ConfigNode root, final Map<String, FrameBuffer> buffers)
    {
        checkHugePages();
        long total = 0;
        for (final FrameBuffer buffer : buffers.values())
        {
            // Saturating: sizes are read from the config, and a wrapped sum would pass the check.
            final long bytes = buffer.frameSize() > Long.MAX_VALUE / buffer.numFrames() ? Long.MAX_VALUE :
                buffer.frameSize() * buffer.numFrames();
            total = bytes > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + bytes;
        }
        final long ram = memTotal();
        if (ram > 0 && total > ram)
        {
            errors.at(root, String.format("buffers need %.1f GiB but this machine has %.1f GiB of RAM",
                total / (double)(1L << 30), ram / (double)(1L << 30)));
        }
    }

    /**
     * {@code hugepages: required} maps from the kernel's reserved pool, which {@code run} would find too small only
     * when it maps: say so now, in the words the failed mapping uses, at the first such buffer.
     */
    private void checkHugePages()
    {
        long pages = 0;
        for (final Map.Entry<ConfigValue, Long> required : requiredHugePages)
        {
            pages = required.getValue() > Long.MAX_VALUE - pages ? Long.MAX_VALUE : pages + required.getValue();
        }
        final long free = HugePageStatus.freePages();
        if (!requiredHugePages.isEmpty() && free >= 0 && pages > free)
        {
            errors.at(requiredHugePages.get(0).getKey(), HugePageStatus.requiredMessage(pages) +
                (requiredHugePages.size() > 1 ? " for the " + requiredHugePages.size() +
                    " buffers with hugepages: required" : ""));
        }
    }

    private static long memTotal()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("MemTotal:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final IOException | NumberFormatException e)
        {
            return -1;
        }
        return -1;
    }

    private StageAgent readStage(final ConfigNode node, final Pipeline pipeline, final Map<String, FrameBuffer> buffers,
        final Map<String, UpdateEndpoint> updates)
    {
        final StageConfig config = new StageConfig(node, errors);
        final String typeName = config.getString(ConfigNode.STAGE);
        final StageType type = registry.find(typeName);
        if (type == null)
        {
            final String closest = registry.closest(typeName);
            config.error(ConfigNode.STAGE, "unknown stage type '" + typeName + "'" +
                (closest != null ? "; did you mean " + closest + "?" : "") + " (kotekan-j stages lists them)");
            return null;
        }
        final Log.Level level = config.getEnum("log_level", Log.Level.class, Log.Level.INFO);
        final int[] cpus = config.getIntArray("cpu_affinity", new int[0]);
        for (final int cpu : cpus)
        {
            if (!topology.hasCpu(cpu))
            {
                config.error("cpu_affinity", "CPU " + cpu + " does not exist (online: " + topology.describeCpus() + ")");
            }
        }
        final ThreadingMode mode = config.getEnum("threading_mode", ThreadingMode.class, ThreadingMode.DEDICATED);
        final Log log = new Log(node.path(), level);
        final StageContext context = new StageContext(config, buffers, unusableBuffers, updates, metrics, log);
        final int errorsBefore = errors.size();
        final Stage stage;
        try
        {
            stage = type.factory().create(context);
        }
        catch (final Exception | Error e)
        {
            // A stage that trips over a stand-in value (a missing buffer, a value already in error) is a follow-on of
            // an error already listed: one error per cause.
            if (errors.size() == errorsBefore && !context.missingBuffer())
            {
                config.error("cannot be configured: " + describeFailure(type, e));
            }
            return null;
        }
        final IdleStrategyName idle = config.getEnum("idle_strategy", IdleStrategyName.class,
            stage.defaultIdleStrategy());
        reportUnread(config, STAGE_RUNTIME_KEYS);
        return new StageAgent(stage, type, context, pipeline, cpus, idle, mode, log);
    }

    /** A stage's own validation speaks the operator's words; anything else is a bug, named without Java internals. */
    private static String describeFailure(final StageType type, final Throwable e)
    {
        if ((e instanceof IllegalArgumentException || e instanceof IllegalStateException) && e.getMessage() != null)
        {
            return e.getMessage();
        }
        return type.name() + " failed on this config with an internal error (" + e.getClass().getSimpleName() +
            "); please report it with this config";
    }

    private void reportUnread(final StageConfig config, final Set<String> allowed)
    {
        for (final ConfigValue value : config.unreadKeys(allowed))
        {
            errors.at(value, "unknown key '" + value.key() + "': nothing reads it here" +
                (config.node().kind() == null ? "" : " (" + config.node().own(config.node().kind()).raw() + ")"));
        }
    }

    /** Stages in data-flow order (producers before their consumers); cycles keep config order. */
    private static List<StageAgent> order(final List<StageAgent> agents)
    {
        final Map<StageAgent, Set<StageAgent>> upstream = new LinkedHashMap<>();
        for (final StageAgent agent : agents)
        {
            final Set<StageAgent> sources = new HashSet<>();
            for (final FrameConsumer consumer : agent.context().consumers())
            {
                for (final FrameProducer producer : consumer.buffer().producers())
                {
                    for (final StageAgent other : agents)
                    {
                        if (other != agent && other.context().producers().contains(producer))
                        {
                            sources.add(other);
                        }
                    }
                }
            }
            upstream.put(agent, sources);
        }
        final List<StageAgent> ordered = new ArrayList<>();
        while (ordered.size() < agents.size())
        {
            boolean progress = false;
            for (final StageAgent agent : agents)
            {
                if (!ordered.contains(agent) && ordered.containsAll(upstream.get(agent)))
                {
                    ordered.add(agent);
                    progress = true;
                }
            }
            if (!progress)
            {
                for (final StageAgent agent : agents)
                {
                    if (!ordered.contains(agent))
                    {
                        ordered.add(agent);
                        break;
                    }
                }
            }
        }
        return ordered;
    }
}
