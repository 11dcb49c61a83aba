package org.kotekanj.sim.trigger;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.kotekanj.config.StageConfig;
import org.kotekanj.sim.signal.FrbPulse;
import org.kotekanj.sim.signal.FrbSignal;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * The simulator's {@code frb_trigger:} block: which node to tell about the {@code frb} signal's burst, how long after
 * the burst, and the rest of the {@code POST /baseband} body. Read with the other simulator keys, so every bad value
 * is a config error at its line and a run with errors posts nothing. Like the packet destinations, the node must be
 * on loopback unless {@code allow_remote} is set: a simulator should not trigger dumps on a real node by accident.
 *
 * <pre>
 * frb_trigger:
 *   url: http://127.0.0.1:12048   # the node's REST base URL (http; loopback unless allow_remote)
 *   latency_s: 1.0                # after the pulse's t0 (at the reference frequency) has been sent
 *   event_id: 42                  # required, 0..2^63-1
 *   file_path: sim                # relative, [A-Za-z0-9_./-], no '..'
 *   dm_error: 0
 *   source: test                  # astro | rfi | test | external
 *   freq_ids: [0, 1]              # optional; all of the node's frequencies if left out
 * </pre>
 *
 * @param url the node's REST base URL.
 * @param latency how long after t0 has been sent the trigger is posted.
 */
public record FrbTriggerConfig(URI url, Duration latency, FrbTriggerRequest request)
{
    public static final String KEY = "frb_trigger";
    private static final double DEFAULT_LATENCY_SECONDS = 1.0;
    private static final String DEFAULT_FILE_PATH = "sim";
    private static final String DEFAULT_SOURCE = "test";

    /** Stands in for the pulse when the signal is not an frb, so every other key is still checked. */
    private static final FrbPulse NO_PULSE = new FrbPulse(0, 0, 1, 1, 400.0, FrbPulse.K_DM, 1);

    /**
     * Reads the {@code frb_trigger} block, or returns {@code null} if there is none; problems go to the config's
     * errors.
     *
     * @param signal the simulator's signal: the block is only valid with an {@link FrbSignal}.
     */
    public static FrbTriggerConfig read(final StageConfig config, final SampleSignal signal,
        final boolean allowRemote)
    {
        final StageConfig block = config.child(KEY);
        if (block == null)
        {
            if (config.origin(KEY) != null)
            {
                config.error(KEY, "expected a map of trigger keys, e.g. {url: http://127.0.0.1:12048, event_id: 42}");
            }
            return null;
        }
        final FrbPulse pulse;
        if (signal instanceof FrbSignal frb)
        {
            pulse = frb.pulse();
        }
        else
        {
            block.error(KEY + " needs signal: {type: frb, ...}: the trigger describes the frb signal's burst, and " +
                "this signal has none");
            pulse = NO_PULSE;
        }
        final URI url = url(block, allowRemote);
        final double latency = block.getDouble("latency_s", DEFAULT_LATENCY_SECONDS);
        if (!(latency >= 0) || Double.isInfinite(latency))
        {
            block.error("latency_s", "must be a non-negative number of seconds, found " + latency);
        }
        final long eventId = block.getLong("event_id");
        if (eventId < 0)
        {
            block.error("event_id", "must be 0..2^63-1 (a u64 the node keys the event by), found " + eventId);
        }
        return new FrbTriggerConfig(url, Duration.ofNanos((long)(Math.max(0, latency) * 1e9)),
            request(block, pulse, Math.max(0, eventId)));
    }

    /** The sample of the pulse's arrival at the reference frequency: once it has been sent, the latency starts. */
    public long t0Seq()
    {
        return request.startFpga();
    }

    private static FrbTriggerRequest request(final StageConfig block, final FrbPulse pulse, final long eventId)
    {
        FrbTriggerRequest request;
        try
        {
            request = FrbTriggerRequest.of(pulse, eventId, block.getString("file_path", DEFAULT_FILE_PATH));
        }
        catch (final IllegalArgumentException e)
        {
            block.error("file_path", e.getMessage());
            request = FrbTriggerRequest.of(pulse, eventId, DEFAULT_FILE_PATH);
        }
        final double dmError = block.getDouble("dm_error", 0);
        if (dmError >= 0 && !Double.isInfinite(dmError))
        {
            request = request.withDmError(dmError);
        }
        else
        {
            block.error("dm_error", "must be a non-negative number (pc cm^-3), found " + dmError);
        }
        final String source = block.getString("source", DEFAULT_SOURCE);
        if (FrbTriggerRequest.SOURCES.contains(source))
        {
            request = request.withSource(source);
        }
        else
        {
            block.error("source", "must be one of " + FrbTriggerRequest.SOURCES + ", found '" + source + "'");
        }
        final int[] freqIds = block.getIntArray("freq_ids", null);
        if (freqIds == null)
        {
            return request;
        }
        if (freqIds.length == 0)
        {
            block.error("freq_ids", "give at least one freq_id, or leave freq_ids out to ask for all");
        }
        for (final int id : freqIds)
        {
            if (id < 0)
            {
                block.error("freq_ids", "freq_ids must not be negative, found " + id);
            }
        }
        return request.withFreqIds(freqIds);
    }

    private static URI url(final StageConfig block, final boolean allowRemote)
    {
        final String text = block.getString("url");
        if (text.isEmpty())
        {
            return null;
        }
        final URI url;
        try
        {
            url = new URI(text);
        }
        catch (final URISyntaxException e)
        {
            block.error("url", "'" + text + "' is not a URL: " + e.getReason());
            return null;
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawQuery() != null ||
            url.getRawFragment() != null)
        {
            block.error("url", "'" + text + "' is not http://HOST:PORT of a node's REST API, e.g. " +
                "http://127.0.0.1:12048 (the trigger goes to {url}/baseband)");
            return null;
        }
        if (!allowRemote && !isLoopback(url.getHost()))
        {
            block.error("url", "'" + text + "' is not on a loopback address (127.x.x.x, [::1], localhost); set " +
                "allow_remote: true (--allow-remote) to trigger " + url.getHost() + " on purpose");
        }
        return url;
    }

    /** Literal addresses are checked without a name lookup; the only name taken for loopback is localhost. */
    private static boolean isLoopback(final String host)
    {
        try
        {
            return InetAddress.ofLiteral(host).isLoopbackAddress();
        }
        catch (final IllegalArgumentException e)
        {
            return host.equalsIgnoreCase("localhost");
        }
    }
}
