package org.kotekanj.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.buffer.FrameReader;
import org.kotekanj.config.ConfigValue;
import org.kotekanj.config.StageConfig;
import org.kotekanj.log.Log;
import org.kotekanj.rest.RestHandler;
import org.kotekanj.status.MetricsRegistry;

/**
 * What a stage's constructor gets: its config (typed, path-aware reads), its buffers (registering it as producer or
 * consumer), metrics, REST endpoints and config update subscriptions. Problems are recorded as config errors at the
 * right YAML line, so {@code check} lists all of them; a stage only throws for what it cannot go on without.
 */
public final class StageContext
{
    /** An endpoint a stage serves, added to the REST server while its pipeline runs. */
    public record StageEndpoint(String method, String path, String description, RestHandler handler)
    {
    }

    /** Answers a config update: {@code null} to accept it, or a message saying why it is rejected. */
    @FunctionalInterface
    public interface UpdateListener
    {
        String onUpdate(ObjectNode values);
    }

    private final StageConfig config;
    private final Map<String, FrameBuffer> buffers;
    private final Set<String> unusableBuffers;
    private final Map<String, UpdateEndpoint> updateEndpoints;
    private final MetricsRegistry metrics;
    private final Log log;
    private final List<FrameConsumer> consumers = new ArrayList<>();
    private final List<FrameProducer> producers = new ArrayList<>();
    private final List<FrameReader> readers = new ArrayList<>();
    private final List<StageEndpoint> endpoints = new ArrayList<>();
    private boolean missingBuffer;

    public StageContext(final StageConfig config, final Map<String, FrameBuffer> buffers,
        final Map<String, UpdateEndpoint> updateEndpoints, final MetricsRegistry metrics, final Log log)
    {
        this(config, buffers, Set.of(), updateEndpoints, metrics, log);
    }

    /**
     * @param unusableBuffers buffers that are declared but could not be built (their errors are already recorded):
     *                        naming one is not reported again.
     */
    public StageContext(final StageConfig config, final Map<String, FrameBuffer> buffers,
        final Set<String> unusableBuffers, final Map<String, UpdateEndpoint> updateEndpoints,
        final MetricsRegistry metrics, final Log log)
    {
        this.config = config;
        this.buffers = buffers;
        this.unusableBuffers = unusableBuffers;
        this.updateEndpoints = updateEndpoints;
        this.metrics = metrics;
        this.log = log;
    }

    public String path()
    {
        return config.path();
    }

    public StageConfig config()
    {
        return config;
    }

    public MetricsRegistry metrics()
    {
        return metrics;
    }

    public Log log()
    {
        return log;
    }

    /** The single buffer named by config key {@code key} (e.g. {@code in_buf}), as a consumer; {@code null} if none. */
    public FrameConsumer inBuffer(final String key)
    {
        return single(key, inBuffers(key), "reads");
    }

    /** Every buffer named by config key {@code key} (a name or a list of names), as consumers. */
    public List<FrameConsumer> inBuffers(final String key)
    {
        return resolve(key, buffer -> buffer.consumer(path()), consumers);
    }

    /**
     * The single buffer named by config key {@code key}, as a {@link FrameReader} that does not gate its producers
     * (the baseband ring); {@code null} if none.
     */
    public FrameReader readerBuffer(final String key)
    {
        return single(key, resolve(key, buffer -> buffer.reader(path()), readers), "reads");
    }

    /** The single buffer named by config key {@code key} (e.g. {@code out_buf}), as a producer; {@code null} if none. */
    public FrameProducer outBuffer(final String key)
    {
        return single(key, outBuffers(key), "writes");
    }

    /** Every buffer named by config key {@code key}, as producers. */
    public List<FrameProducer> outBuffers(final String key)
    {
        return resolve(key, buffer -> buffer.producer(path()), producers);
    }

    private <T> List<T> resolve(final String key, final Function<FrameBuffer, T> register, final List<T> all)
    {
        final List<T> handles = new ArrayList<>();
        final ConfigValue origin = config.origin(key);
        final List<String> names = config.getStringList(key);
        for (final String name : names)
        {
            final FrameBuffer buffer = buffers.get(name);
            if (buffer == null)
            {
                missingBuffer = true;
                if (unusableBuffers.contains(name))
                {
                    continue;
                }
                config.error(key, "no buffer named '" + name + "'" + (buffers.isEmpty() ? "" :
                    " (buffers: " + String.join(", ", buffers.keySet()) + ")"));
                continue;
            }
            final T handle = register.apply(buffer);
            handles.add(handle);
            all.add(handle);
        }
        if (origin != null && names.isEmpty())
        {
            config.error(key, "names no buffer");
        }
        return handles;
    }

    /** The one handle of {@code handles}; an error if the key names several, {@code null} if it names none. */
    private <T> T single(final String key, final List<T> handles, final String verb)
    {
        if (handles.size() > 1)
        {
            config.error(key, "this stage " + verb + " exactly one buffer from '" + key + "', found " +
                handles.size());
        }
        if (handles.isEmpty())
        {
            requireBufferKey(key);
            return null;
        }
        return handles.get(0);
    }

    private void requireBufferKey(final String key)
    {
        missingBuffer = true;
        if (config.origin(key) == null)
        {
            config.error("missing '" + key + "': the buffer this stage " + (key.startsWith("in") ? "reads" : "writes"));
        }
    }

    /** Records an error unless the buffer's frames are exactly {@code bytes} long. */
    public void requireFrameSize(final FrameBuffer buffer, final long bytes, final String what)
    {
        if (buffer != null && buffer.frameSize() != bytes)
        {
            config.error("buffer " + buffer.name() + " has frame_size " + buffer.frameSize() + " but " + path() +
                " needs " + bytes + " (" + what + ")");
        }
    }

    /** Records an error unless the buffer's frames are at least {@code bytes} long. */
    public void requireMinFrameSize(final FrameBuffer buffer, final long bytes, final String what)
    {
        if (buffer != null && buffer.frameSize() < bytes)
        {
            config.error("buffer " + buffer.name() + " has frame_size " + buffer.frameSize() + " but " + path() +
                " needs at least " + bytes + " (" + what + ")");
        }
    }

    /** Declares the metadata this stage writes into a buffer; conflicts become config errors. */
    public void declareMetadata(final FrameProducer producer, final String kind, final int bytes)
    {
        if (producer != null)
        {
            final String problem = producer.buffer().declareMetadata(kind, bytes);
            if (problem != null)
            {
                config.error(path() + " " + problem);
            }
        }
    }

    /** Records an error unless the buffer carries metadata of {@code kind}. */
    public void requireMetadata(final FrameConsumer consumer, final String kind)
    {
        if (consumer != null && consumer.buffer().metadataKind() != null &&
            !kind.equals(consumer.buffer().metadataKind()))
        {
            config.error(path() + " reads " + kind + " metadata but buffer " + consumer.buffer().name() + " carries " +
                consumer.buffer().metadataKind());
        }
    }

    /** Serves an endpoint while the pipeline runs. */
    public void addEndpoint(final String method, final String path, final String description, final RestHandler handler)
    {
        endpoints.add(new StageEndpoint(method, path, description, handler));
    }

    /**
     * Subscribes to a {@code kotekan_update_endpoint} block named by config key {@code key} (its path); the listener
     * is called with the initial values at start and with every accepted {@code POST}, on the REST thread.
     */
    public void subscribeUpdates(final String key, final UpdateListener listener)
    {
        final String name = config.getString(key, null);
        if (name == null)
        {
            config.error("missing '" + key + "': the path of a kotekan_update_endpoint block");
            return;
        }
        final UpdateEndpoint endpoint = updateEndpoints.get(name.startsWith("/") ? name : "/" + name);
        if (endpoint == null)
        {
            config.error(key, "no kotekan_update_endpoint block at " + name +
                (updateEndpoints.isEmpty() ? "" : " (blocks: " + String.join(", ", updateEndpoints.keySet()) + ")"));
            return;
        }
        endpoint.subscribe(path(), listener);
    }

    /**
     * True if a buffer this stage asked for was not handed to it (missing, unknown or unusable; the error is already
     * recorded): a stage that then fails to construct is a follow-on of that error, not a second problem.
     */
    public boolean missingBuffer()
    {
        return missingBuffer;
    }

    public List<FrameConsumer> consumers()
    {
        return consumers;
    }

    public List<FrameProducer> producers()
    {
        return producers;
    }

    public List<FrameReader> readers()
    {
        return readers;
    }

    public List<StageEndpoint> endpoints()
    {
        return endpoints;
    }
}
