package org.kotekanj.baseband.api;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;

/**
 * A validated {@code POST /baseband} body ({@code shared/specs/baseband.md}). Every rejection is a 400 naming the
 * field at fault; values are bounded here so that no later arithmetic can overflow: a start within a few centuries of
 * the epoch, a non-negative finite DM. Unknown fields are ignored, so a CHIME client that sends more still works.
 *
 * @param startUnixNanos the burst's arrival at the reference frequency in unix ns, or {@code null} if the request
 *                       gave {@code start_fpga} or asked for the earliest data ({@code start_unix_seconds < 0}).
 * @param startFpga      the same as a sample counter, or {@code null}.
 * @param freqIds        the frequencies asked for, or {@code null} for all of the node's.
 */
public record TriggerRequest(long eventId, Long startUnixNanos, Long startFpga, boolean earliest, long durationNano,
    double dm, double dmError, String filePath, double refFreqMhz, int[] freqIds, String source)
{
    public static final Set<String> SOURCES = Set.of("astro", "rfi", "test", "external");
    /** Latest start accepted (year 2096): keeps every later nanosecond sum inside a {@code long}. */
    public static final long MAX_UNIX_SECONDS = 4_000_000_000L;
    /** Longest duration accepted before the ring limits apply (about 30 years): bounds the arithmetic. */
    public static final long MAX_DURATION_NANO = 1_000_000_000_000_000_000L;
    /** Largest sample counter accepted: 2^50, 91 years of 2.56 us samples (times Δt it stays inside a long). */
    public static final long MAX_FPGA = 1L << 50;
    private static final Pattern FILE_PATH = Pattern.compile("[A-Za-z0-9_./-]+");

    /** Parses and validates a body; throws a 400 {@link RestException} naming the field. */
    public static TriggerRequest parse(final byte[] body, final double defaultRefFreqMhz)
    {
        final JsonNode json = object(body);
        final long eventId = integer(json, "event_id", 0, Long.MAX_VALUE, true);
        final boolean hasUnix = json.has("start_unix_seconds");
        final boolean hasFpga = json.has("start_fpga");
        if (hasUnix && hasFpga)
        {
            throw new RestException(400, "give either start_unix_seconds (with start_unix_nano) or start_fpga, not " +
                "both", "start_fpga");
        }
        if (!hasUnix && !hasFpga)
        {
            throw new RestException(400, "missing start_unix_seconds (or start_fpga)", "start_unix_seconds");
        }
        Long startUnix = null;
        Long startFpga = null;
        boolean earliest = false;
        if (hasUnix)
        {
            final long seconds = integer(json, "start_unix_seconds", Long.MIN_VALUE, MAX_UNIX_SECONDS, true);
            final long nanos = integer(json, "start_unix_nano", 0, 999_999_999L, true);
            if (seconds < 0)
            {
                earliest = true;
            }
            else
            {
                startUnix = seconds * 1_000_000_000L + nanos;
            }
        }
        else
        {
            startFpga = integer(json, "start_fpga", 0, MAX_FPGA, true);
        }
        final long duration = integer(json, "duration_nano", 0, MAX_DURATION_NANO, true);
        final double dm = number(json, "dm", true, Double.NaN);
        final double dmError = number(json, "dm_error", true, Double.NaN);
        final String filePath = filePath(json);
        final double refFreq = json.has("ref_freq_mhz") ? number(json, "ref_freq_mhz", true, 0) : defaultRefFreqMhz;
        if (!(refFreq > 0) || refFreq > 1e7)
        {
            throw new RestException(400, "ref_freq_mhz must be a positive frequency in MHz, found " + refFreq,
                "ref_freq_mhz");
        }
        final int[] freqIds = freqIds(json);
        final String source = json.has("source") ? text(json, "source") : "astro";
        if (!SOURCES.contains(source))
        {
            throw new RestException(400, "source must be one of " + new TreeSet<>(SOURCES) + ", found '" + source +
                "'", "source");
        }
        return new TriggerRequest(eventId, startUnix, startFpga, earliest, duration, dm, dmError, filePath, refFreq,
            freqIds, source);
    }

    /** True if {@code other} asks for exactly the same dump (the idempotency test of a repeated event_id). */
    public boolean sameAs(final TriggerRequest other)
    {
        return eventId == other.eventId && java.util.Objects.equals(startUnixNanos, other.startUnixNanos) &&
            java.util.Objects.equals(startFpga, other.startFpga) && earliest == other.earliest &&
            durationNano == other.durationNano && Double.compare(dm, other.dm) == 0 &&
            Double.compare(dmError, other.dmError) == 0 && filePath.equals(other.filePath) &&
            Double.compare(refFreqMhz, other.refFreqMhz) == 0 && Arrays.equals(freqIds, other.freqIds) &&
            source.equals(other.source);
    }

    /** The request as the manifest and status record it. */
    public ObjectNode toJson()
    {
        final ObjectNode o = Json.object();
        o.put("event_id", eventId);
        if (startUnixNanos != null)
        {
            o.put("start_unix_seconds", Math.floorDiv(startUnixNanos, 1_000_000_000L));
            o.put("start_unix_nano", Math.floorMod(startUnixNanos, 1_000_000_000L));
        }
        else if (earliest)
        {
            o.put("start_unix_seconds", -1);
        }
        else
        {
            o.put("start_fpga", startFpga);
        }
        o.put("duration_nano", durationNano);
        o.put("dm", dm);
        o.put("dm_error", dmError);
        o.put("file_path", filePath);
        o.put("ref_freq_mhz", refFreqMhz);
        if (freqIds != null)
        {
            final ArrayNode ids = o.putArray("freq_ids");
            Arrays.stream(freqIds).forEach(ids::add);
        }
        o.put("source", source);
        return o;
    }

    /** The body as a JSON object; a 400 if it is not one. */
    static JsonNode object(final byte[] body)
    {
        final JsonNode json;
        try
        {
            json = Json.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (final RestException e)
        {
            throw e;
        }
        catch (final RuntimeException e)
        {
            throw new RestException(400, "malformed JSON", null);
        }
        if (json == null || json.isMissingNode() || !json.isObject())
        {
            throw new RestException(400, "the body must be a JSON object", null);
        }
        return json;
    }

    static long integer(final JsonNode json, final String field, final long min, final long max,
        final boolean required)
    {
        final JsonNode value = json.get(field);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new RestException(400, "missing " + field, field);
            }
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new RestException(400, field + " must be an integer" +
                (value.isIntegralNumber() ? " within 64 bits" : ", found " + describe(value)), field);
        }
        final long v = value.asLong();
        if (v < min || v > max)
        {
            throw new RestException(400, field + " must be in [" + min + ", " + max + "], found " + v, field);
        }
        return v;
    }

    private static double number(final JsonNode json, final String field, final boolean required,
        final double fallback)
    {
        final JsonNode value = json.get(field);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new RestException(400, "missing " + field, field);
            }
            return fallback;
        }
        if (!value.isNumber())
        {
            throw new RestException(400, field + " must be a number, found " + describe(value), field);
        }
        final double v = value.asDouble();
        if (!Double.isFinite(v) || v < 0)
        {
            throw new RestException(400, field + " must be a finite number >= 0, found " + value.asText(), field);
        }
        return v;
    }

    private static String text(final JsonNode json, final String field)
    {
        final JsonNode value = json.get(field);
        if (value == null || !value.isTextual())
        {
            throw new RestException(400, field + " must be a string" + (value == null ? "" : ", found " +
                describe(value)), field);
        }
        return value.asText();
    }

    private static String filePath(final JsonNode json)
    {
        if (!json.has("file_path"))
        {
            throw new RestException(400, "missing file_path", "file_path");
        }
        final String path = text(json, "file_path");
        if (path.length() > 200 || !FILE_PATH.matcher(path).matches())
        {
            throw new RestException(400, "file_path must be 1 to 200 characters of [A-Za-z0-9_./-]", "file_path");
        }
        if (path.startsWith("/"))
        {
            throw new RestException(400, "file_path must be relative to the archive root, found an absolute path",
                "file_path");
        }
        for (final String part : path.split("/"))
        {
            if (part.equals(".."))
            {
                throw new RestException(400, "file_path must not contain '..'", "file_path");
            }
        }
        return path;
    }

    private static int[] freqIds(final JsonNode json)
    {
        final JsonNode value = json.get("freq_ids");
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isArray() || value.isEmpty())
        {
            throw new RestException(400, "freq_ids must be a non-empty array of integers", "freq_ids");
        }
        final TreeSet<Integer> ids = new TreeSet<>();
        final Iterator<JsonNode> items = value.elements();
        while (items.hasNext())
        {
            final JsonNode item = items.next();
            if (!item.isIntegralNumber() || !item.canConvertToInt() || item.asInt() < 0)
            {
                throw new RestException(400, "freq_ids must hold non-negative integers, found " + describe(item),
                    "freq_ids");
            }
            if (!ids.add(item.asInt()))
            {
                throw new RestException(400, "freq_ids lists " + item.asInt() + " twice", "freq_ids");
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String describe(final JsonNode value)
    {
        final String text = value.toString();
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " +
            (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof TriggerRequest other && sameAs(other);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(eventId);
    }

    @Override
    public String toString()
    {
        return toJson().toString();
    }
}
