package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.baseband.plan.SampleRange;
import org.kotekanj.rest.Json;

/**
 * {@code event.json} beside an event's files: the request, the time reference, per frequency the plan against what
 * was captured, byte counts, the SHA-256 of each file, timings and the final status. Written atomically (temporary
 * file, fsync, rename) once every frequency has ended.
 */
final class EventManifest
{
    static final String NAME = "event.json";

    private EventManifest()
    {
    }

    static ObjectNode of(final BasebandEvent event)
    {
        final ObjectNode o = Json.object();
        o.put("event_id", event.eventId());
        o.put("status", event.status().jsonName());
        o.set("request", event.request().toJson());
        final ObjectNode time = o.putObject("time_reference");
        if (event.time() != null)
        {
            time.put("frame0_unix_nano", event.time().frame0Nanos());
            time.put("type_time0_ctime", event.time().type());
            time.put("first_packet_recv_time", event.time().firstPacketRecvNanos() * 1e-9);
        }
        final ObjectNode timings = o.putObject("timings");
        timings.put("received", event.received().toString());
        timings.put("trigger_to_first_byte_ms", event.firstByteNanos() == 0 ? null :
            (event.firstByteNanos() - event.receivedNanos()) / 1e6);
        timings.put("copied", event.copied() == null ? null : event.copied().toString());
        timings.put("written", Instant.now().toString());
        o.put("total", event.totalBytes());
        final ObjectNode freqs = o.putObject("freqs");
        for (final FreqDump dump : event.dumps())
        {
            final ObjectNode f = freqs.putObject(Integer.toString(dump.plan().freqId()));
            f.put("file_name", dump.file().getFileName().toString());
            f.put("status", dump.status().jsonName());
            f.put("reason", dump.reason());
            f.put("freq_mhz", dump.plan().freqMhz());
            f.put("predicted", dump.plan().predicted().jsonName());
            range(f, "requested", dump.plan().requested());
            range(f, "planned", dump.plan().planned());
            range(f, "captured", dump.captured());
            f.put("expected_bytes", dump.plan().expectedBytes());
            f.put("file_bytes", dump.fileBytes());
            f.put("sha256", dump.sha256());
            f.put("lost_samples", dump.lostSamples());
            f.put("missing_samples", dump.missingSamples());
            f.put("started", dump.started() == null ? null : dump.started().toString());
            f.put("finished", dump.finished() == null ? null : dump.finished().toString());
            f.set("phases", dump.phases.toJson());
        }
        return o;
    }

    static void write(final BasebandEvent event) throws IOException
    {
        final Path directory = event.directory();
        Files.createDirectories(directory);
        final Path partial = directory.resolve("." + NAME + ".partial");
        final byte[] bytes = Json.write(of(event)).getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        Files.move(partial, directory.resolve(NAME), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        BasebandFile.syncDirectory(directory);
    }

    private static void range(final ObjectNode o, final String name, final SampleRange range)
    {
        o.putArray(name).add(range.start()).add(range.end());
    }
}
