package org.kotekanj.sim.packets;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.kotekanj.fengine.StreamId;

/**
 * What the simulator really sent, as JSON lines, so that a test can compute a receiver's counters exactly: one
 * {@code start} line (geometry, streams, first steps, impairments), one line per {@link EventType} event as it
 * happens, and one {@code end} line per stream with its totals. Events may also be kept in memory for tests.
 *
 * <pre>
 * {"event":"start","profile":"chime",...,"streams":[{"stream":"0.0.0","stream_id":0,"first_step":0,...}],...}
 * {"event":"drop","stream":"0.0.0","stream_id":0,"step":12,"seq":24}
 * {"event":"truncated","stream":"2.0.0","stream_id":512,"step":40,"seq":80,"length":2443}
 * {"event":"end","stream":"0.0.0","stream_id":0,"steps":1000,"datagrams":996,...}
 * </pre>
 *
 * Events are rare by construction (rates per packet), so writing a line per event costs nothing per packet; a line
 * is built in a reused buffer.
 */
public final class GroundTruth implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final BufferedWriter out;
    private final Path path;
    private final List<GroundTruthEvent> events;
    private final StringBuilder line = new StringBuilder(256);
    private char[] chars = new char[256];

    private GroundTruth(final Path path, final BufferedWriter out, final boolean keep)
    {
        this.path = path;
        this.out = out;
        this.events = keep ? new ArrayList<>() : null;
    }

    /** Keeps nothing. */
    public static GroundTruth none()
    {
        return new GroundTruth(null, null, false);
    }

    /** Keeps events in memory only (tests). */
    public static GroundTruth inMemory()
    {
        return new GroundTruth(null, null, true);
    }

    /** Writes to {@code path} (JSON lines), and also keeps events in memory if {@code keep}. */
    public static GroundTruth toFile(final Path path, final boolean keep) throws IOException
    {
        return new GroundTruth(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8), keep);
    }

    /** The file written, or {@code null}. */
    public Path path()
    {
        return path;
    }

    /** The events kept in memory (empty unless kept). */
    public List<GroundTruthEvent> events()
    {
        return events == null ? List.of() : Collections.unmodifiableList(events);
    }

    /** Writes a whole-run line such as {@code start} (cold: serialised with Jackson). */
    public void writeLine(final Map<String, Object> fields)
    {
        if (out != null)
        {
            try
            {
                out.write(JSON.writeValueAsString(fields));
                out.newLine();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("writing ground truth to " + path, e);
            }
        }
    }

    /** Records one event; {@code value} is written under the type's {@link EventType#valueKey()}. */
    public void record(final EventType type, final int streamIndex, final int streamId, final long step,
        final long seq, final long value)
    {
        if (events != null)
        {
            events.add(new GroundTruthEvent(type, streamIndex, streamId, step, seq, value));
        }
        if (out == null)
        {
            return;
        }
        line.setLength(0);
        line.append("{\"event\":\"").append(type.jsonName()).append("\",\"stream\":\"")
            .append(StreamId.crate(streamId)).append('.').append(StreamId.slot(streamId)).append('.')
            .append(StreamId.link(streamId)).append("\",\"stream_id\":").append(streamId)
            .append(",\"step\":").append(step).append(",\"seq\":").append(seq);
        if (type.valueKey() != null)
        {
            line.append(",\"").append(type.valueKey()).append("\":").append(value);
        }
        line.append("}\n");
        if (chars.length < line.length())
        {
            chars = new char[line.length() * 2];
        }
        line.getChars(0, line.length(), chars, 0);
        try
        {
            out.write(chars, 0, line.length());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("writing ground truth to " + path, e);
        }
    }

    @Override
    public void close()
    {
        if (out != null)
        {
            try
            {
                out.close();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("closing ground truth " + path, e);
            }
        }
    }
}
