package org.kotekanj.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.WriteRoots;
import org.kotekanj.config.ConfigException;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.log.Log;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;
import org.kotekanj.dashboard.Dashboard;
import org.kotekanj.rest.RestAccess;
import org.kotekanj.rest.RestServer;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.status.CountersFile;
import org.kotekanj.status.MetricsRegistry;

/**
 * One kotekan-j process: counters file, REST server and (at most) one running pipeline. {@code run} starts a pipeline
 * from a file and exits when it ends; daemon mode waits for a controller to {@code POST /start} a config and
 * {@code POST /stop} it, staying up across invalid configs (Kotekan exits on them).
 */
public final class KotekanService implements AutoCloseable
{
    private final ServiceOptions options;
    private final StageRegistry stages;
    private final MetricsRegistry metrics;
    private final RestServer rest;
    private final EndpointRegistry endpoints;
    private final WriteRoots writeRoots;
    private final Log log = Log.of("kotekan-j");
    private volatile Pipeline pipeline;
    private volatile boolean closed;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "kj-metrics");
        thread.setDaemon(true);
        return thread;
    });

    private KotekanService(final ServiceOptions options, final StageRegistry stages, final MetricsRegistry metrics,
        final RestServer rest, final EndpointRegistry endpoints, final WriteRoots writeRoots)
    {
        this.writeRoots = writeRoots;
        this.options = options;
        this.stages = stages;
        this.metrics = metrics;
        this.rest = rest;
        this.endpoints = endpoints;
    }

    /** Creates the counters file and starts the REST server (unless disabled). */
    public static KotekanService open(final ServiceOptions options, final StageRegistry stages, final boolean daemon)
        throws IOException
    {
        // Refused before anything is created: a token others can read, a write root that does not exist.
        final RestAccess access = options.restTokenFile() == null ? RestAccess.open() :
            RestAccess.fromTokenFile(options.restTokenFile(), options.restProtectReads());
        final WriteRoots writeRoots = WriteRoots.of(options.writeRoots().isEmpty() ? List.of(Path.of("")) :
            options.writeRoots());
        final java.util.List<Path> reclaimed = CountersFile.reclaimDead(options.countersDirectory());
        if (!reclaimed.isEmpty())
        {
            Log.of("kotekan-j").info("reclaimed " + reclaimed.size() + " counters file(s) of processes that are gone: " +
                reclaimed.stream().map(p -> p.getFileName().toString()).toList());
        }
        final CountersFile counters = CountersFile.create(options.countersDirectory(), options.instance(),
            CountersFile.DEFAULT_VALUES_LENGTH);
        final MetricsRegistry metrics = MetricsRegistry.mapped(counters);
        final EndpointRegistry endpoints = new EndpointRegistry();
        RestServer rest = null;
        if (options.restEnabled())
        {
            try
            {
                rest = RestServer.start(options.restBind(), options.restPort(), endpoints, access);
            }
            catch (final IOException e)
            {
                metrics.close();
                throw new IOException("cannot serve REST on " + options.restBind() + ":" + options.restPort() + ": " +
                    e.getMessage() + " (choose another with --rest-port, or --no-rest)", e);
            }
        }
        final KotekanService service = new KotekanService(options, stages, metrics, rest, endpoints, writeRoots);
        service.registerCoreEndpoints(daemon);
        // Gauges (idle ratios, buffer fill, socket drops) and the heartbeat, for readers of the counters file.
        service.sampler.scheduleAtFixedRate(service::sample, 1, 1, TimeUnit.SECONDS);
        return service;
    }

    public EndpointRegistry endpoints()
    {
        return endpoints;
    }

    public MetricsRegistry metrics()
    {
        return metrics;
    }

    public Pipeline pipeline()
    {
        return pipeline;
    }

    /** The REST port actually bound (useful with port 0), or -1 without REST. */
    public int restPort()
    {
        return rest == null ? -1 : rest.port();
    }

    public Path countersFile()
    {
        return metrics.file() == null ? null : metrics.file().path();
    }

    /**
     * Checks and starts a pipeline. Throws {@link ConfigException} listing every problem if the config cannot run,
     * or {@link IllegalStateException} if one is already running.
     */
    public synchronized Pipeline start(final ConfigNode config)
    {
        if (pipeline != null)
        {
            // A pipeline whose stages all closed (it finished by itself or failed) no longer runs, but still holds
            // its buffers and endpoints until stopped.
            if (!pipeline.awaitStages(Duration.ZERO))
            {
                throw new IllegalStateException("a pipeline is already running; POST /stop first");
            }
            pipeline.stop();
        }
        // One build, straight into the process's registry: a config with errors leaves no counters behind.
        final ConfigErrors errors = new ConfigErrors();
        metrics.freeAll();
        final Pipeline built = PipelineBuilder.build(config, stages, metrics, errors);
        if (!errors.isEmpty())
        {
            metrics.freeAll();
            errors.throwIfAny();
        }
        built.start(metrics, endpoints);
        pipeline = built;
        return built;
    }

    /** Drains and stops the running pipeline, if any; returns false if the drain timed out. */
    public boolean stop()
    {
        final Pipeline running = pipeline;
        return running == null || running.stop();
    }

    private void registerCoreEndpoints(final boolean daemon)
    {
        endpoints.add("GET", "/status", "core", "process and pipeline state", r -> RestResponse.ok(status()));
        endpoints.add("GET", "/metrics", "core", "Prometheus metrics",
            r -> RestResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus()));
        endpoints.add("GET", "/config", "core", "the running config", r -> RestResponse.ok(
            pipeline == null ? Json.object() : Json.MAPPER.valueToTree(pipeline.config().toMap())));
        endpoints.add("GET", "/buffers", "core", "frame buffers and their fill",
            r -> RestResponse.ok(pipeline == null ? Json.object() : pipeline.buffersStatus()));
        endpoints.add("GET", "/version", "core", "software version", r -> RestResponse.ok(version()));
        new Dashboard(endpoints, this::status, metrics::prometheus, () -> !closed).register();
        if (daemon)
        {
            endpoints.add("POST", "/start", "core", "start a pipeline from a JSON or YAML config body",
                this::postStart);
            endpoints.add("POST", "/stop", "core", "drain and stop the running pipeline", this::postStop);
        }
    }

    private RestResponse postStart(final RestRequest request)
    {
        final String text = request.bodyText();
        if (text.isBlank())
        {
            throw new RestException(400, "POST /start needs the config (JSON or YAML) as its body", null);
        }
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode config = YamlConfigLoader.parse(text, "POST /start", errors);
        writeRoots.check(config, errors);
        try
        {
            errors.throwIfAny();
            start(config);
        }
        catch (final ConfigException e)
        {
            final ObjectNode body = Json.object();
            body.put("error", "the config cannot run: " + e.errors().size() + " error(s)");
            final ArrayNode list = body.putArray("errors");
            for (final ConfigError error : e.errors())
            {
                list.add(error.toString());
            }
            return RestResponse.json(400, body);
        }
        catch (final IllegalStateException e)
        {
            throw new RestException(409, e.getMessage(), null);
        }
        catch (final RuntimeException e)
        {
            throw new RestException(500, "the pipeline failed to start: " + e.getMessage(), null);
        }
        log.info("started a pipeline posted to /start");
        return RestResponse.ok(status());
    }

    private RestResponse postStop(final RestRequest request)
    {
        if (pipeline == null || pipeline.state() == Pipeline.State.STOPPED)
        {
            throw new RestException(409, "no pipeline is running", null);
        }
        final boolean drained = stop();
        final ObjectNode body = status();
        body.put("drained", drained);
        return RestResponse.ok(body);
    }

    private ObjectNode status()
    {
        final ObjectNode status = pipeline == null ? Json.object().put("state", "idle") : pipeline.status();
        status.put("instance", options.instance());
        status.put("pid", ProcessHandle.current().pid());
        status.put("version", Version.version());
        if (metrics.file() != null)
        {
            status.put("counters_file", metrics.file().path().toString());
        }
        return status;
    }

    private static ObjectNode version()
    {
        final ObjectNode body = Json.object();
        body.put("version", Version.version());
        body.put("software_version", Version.softwareVersion());
        body.put("java", Runtime.version().toString());
        body.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return body;
    }

    private void sample()
    {
        try
        {
            metrics.sample();
        }
        catch (final RuntimeException e)
        {
            log.warn("metrics sampling failed: " + e);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        sampler.shutdownNow();
        stop();
        if (rest != null)
        {
            rest.close();
        }
        metrics.close();
    }
}
