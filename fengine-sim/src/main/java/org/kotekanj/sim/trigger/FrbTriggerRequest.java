package org.kotekanj.sim.trigger;

import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.signal.FrbPulse;

/**
 * The {@code POST /baseband} body of the trigger contract ({@code shared/specs/baseband.md}) for a simulated burst:
 * the start as a sample counter ({@code start_fpga}, the contract's alternative for simulators), the width at the
 * reference frequency, the DM and its error. A node that plans the dump with the contract's dispersion formula and the
 * same {@code k_DM} asks for a window holding the whole pulse at every frequency ({@link FrbPulse}); with a
 * {@code dm_error} the window only widens.
 *
 * @param freqIds the frequencies to dump, or {@code null} for all of the node's.
 */
public record FrbTriggerRequest(long eventId, long startFpga, long durationNano, double dm, double dmError,
    String filePath, double refFreqMhz, int[] freqIds, String source)
{
    public static final Set<String> SOURCES = Set.of("astro", "rfi", "test", "external");
    private static final Pattern FILE_PATH = Pattern.compile("[A-Za-z0-9_./-]+");

    public FrbTriggerRequest
    {
        if (durationNano < 0 || !(dm >= 0) || !(dmError >= 0) || !(refFreqMhz > 0))
        {
            throw new IllegalArgumentException("a trigger needs duration_nano >= 0, dm >= 0, dm_error >= 0 and a " +
                "positive ref_freq_mhz");
        }
        if (!FILE_PATH.matcher(filePath).matches() || filePath.startsWith("/") ||
            ("/" + filePath + "/").contains("/../"))
        {
            throw new IllegalArgumentException("file_path must be relative, without '..', and only [A-Za-z0-9_./-]: " +
                filePath);
        }
        if (!SOURCES.contains(source))
        {
            throw new IllegalArgumentException("source must be one of " + SOURCES + ": " + source);
        }
        freqIds = freqIds == null ? null : freqIds.clone();
    }

    /** The trigger a real-time search would send for this pulse: every frequency, no DM error, source {@code test}. */
    public static FrbTriggerRequest of(final FrbPulse pulse, final long eventId, final String filePath)
    {
        return new FrbTriggerRequest(eventId, pulse.t0Seq(), pulse.durationNanos(), pulse.dm(), 0.0, filePath,
            pulse.refFreqMhz(), null, "test");
    }

    public FrbTriggerRequest withDmError(final double error)
    {
        return new FrbTriggerRequest(eventId, startFpga, durationNano, dm, error, filePath, refFreqMhz, freqIds,
            source);
    }

    public FrbTriggerRequest withFreqIds(final int... ids)
    {
        return new FrbTriggerRequest(eventId, startFpga, durationNano, dm, dmError, filePath, refFreqMhz, ids, source);
    }

    public FrbTriggerRequest withSource(final String name)
    {
        return new FrbTriggerRequest(eventId, startFpga, durationNano, dm, dmError, filePath, refFreqMhz, freqIds,
            name);
    }

    /** The JSON body. */
    public ObjectNode toJson()
    {
        final ObjectNode body = Json.object();
        body.put("event_id", eventId);
        body.put("start_fpga", startFpga);
        body.put("duration_nano", durationNano);
        body.put("dm", dm);
        body.put("dm_error", dmError);
        body.put("file_path", filePath);
        body.put("ref_freq_mhz", refFreqMhz);
        if (freqIds != null)
        {
            final ArrayNode ids = body.putArray("freq_ids");
            for (final int id : freqIds)
            {
                ids.add(id);
            }
        }
        body.put("source", source);
        return body;
    }
}
