package org.kotekanj.baseband;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.kotekanj.log.Log;
import org.kotekanj.rest.Json;
import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestRequest;
import org.kotekanj.rest.RestResponse;
import org.kotekanj.sim.signal.TplusESignal;
import org.kotekanj.status.MetricsRegistry;

/** A {@link Readout} on a {@link RingFeeder} ring, driven from the test thread, with REST calls made directly. */
public final class ReadoutHarness implements AutoCloseable
{
    static final int[] FREQ_IDS = {0, 300, 600, 1000};
    static final int SAMPLES_PER_FRAME = 1024;
    /** The unix time of sample 0 in the harness's config, and of the feeder's first packet. */
    static final long FRAME0 = 1_700_000_000_000_000_000L;

    public final RingFeeder feeder;
    public final Readout readout;
    final MetricsRegistry metrics = MetricsRegistry.inMemory();
    final Path archive;

    ReadoutHarness(final Path archive, final int numFrames, final FreeSpace freeSpace,
        final java.util.function.UnaryOperator<ReadoutSettings> tweak)
    {
        this(archive, new RingFeeder(RingFeeder.smallNode(FREQ_IDS, SAMPLES_PER_FRAME), numFrames,
            new TplusESignal()), freeSpace, tweak);
    }

    public ReadoutHarness(final Path archive, final RingFeeder feeder, final FreeSpace freeSpace,
        final java.util.function.UnaryOperator<ReadoutSettings> tweak)
    {
        this.archive = archive;
        this.feeder = feeder;
        final ReadoutSettings settings = tweak.apply(new ReadoutSettings(archive, 10.0, 4.148808, 400.0, 4, 64,
            8 << 20, 64 << 10, 64 << 20, FRAME0));
        readout = new Readout(feeder.reader, feeder.shape, settings, freeSpace, metrics, new Log("/bb", Log.Level.OFF),
            "/baseband");
        readout.start();
    }

    /** Settings with no {@code frame0_unix_nano}: the time reference comes from the first packets' arrival. */
    static ReadoutSettings withoutFrame0(final ReadoutSettings s)
    {
        return new ReadoutSettings(s.archiveRoot(), s.maxDumpSeconds(), s.kDm(), s.refFreqMhz(), s.maxQueuedEvents(),
            s.maxEventsKept(), s.stagingBytes(), s.chunkBytes(), s.copyBudgetBytes(), -1);
    }

    ReadoutHarness(final Path archive, final int numFrames)
    {
        this(archive, numFrames, FreeSpace.fileSystem(), s -> s);
    }

    /** POSTs a body; returns (status, JSON). REST errors come back as their JSON body, as the server sends them. */
    public Reply post(final String body)
    {
        return call(() -> readout.trigger(new RestRequest("POST", "/baseband", Map.of(), Map.of(),
            body.getBytes(StandardCharsets.UTF_8))));
    }

    /** POSTs a body to {@code /gps_time}. */
    Reply postGpsTime(final String body)
    {
        return call(() -> readout.gpsTime(new RestRequest("POST", "/gps_time", Map.of(), Map.of(),
            body.getBytes(StandardCharsets.UTF_8))));
    }

    Reply get(final String id)
    {
        return call(() -> readout.get(new RestRequest("GET", "/baseband/" + id, Map.of("event_id", id), Map.of(),
            new byte[0])));
    }

    Reply delete(final String id)
    {
        return call(() -> readout.cancel(new RestRequest("DELETE", "/baseband/" + id, Map.of("event_id", id),
            Map.of(), new byte[0])));
    }

    /** Runs the readout until {@code done} holds; fails after 20 s. */
    void runUntil(final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out");
            }
            readout.doWork();
            Thread.onSpinWait();
        }
    }

    /**
     * Runs until event {@code id} has ended and its manifest is written, as a client sees it: {@code manifest_written}
     * in the status (set just after {@code event.json} is renamed into place).
     */
    public JsonNode runUntilEnded(final long id)
    {
        final Path manifest = archive.resolve("test").resolve("astro_" + id).resolve(EventManifest.NAME);
        runUntil(() -> java.nio.file.Files.exists(manifest) &&
            !get(Long.toString(id)).json().path("manifest_written").isNull());
        return get(Long.toString(id)).json();
    }

    static String trigger(final long id, final long startFpga, final long durationSamples, final double dm,
        final double dmError, final double refFreq)
    {
        return String.format("{\"event_id\": %d, \"start_fpga\": %d, \"duration_nano\": %d, \"dm\": %s, " +
            "\"dm_error\": %s, \"file_path\": \"test\", \"ref_freq_mhz\": %s}", id, startFpga, durationSamples * 2560,
            dm, dmError, refFreq);
    }

    public record Reply(int status, JsonNode json)
    {
    }

    private static Reply call(final java.util.concurrent.Callable<RestResponse> call)
    {
        try
        {
            final RestResponse response = call.call();
            return new Reply(response.status(), Json.parse(new String(response.body(), StandardCharsets.UTF_8)));
        }
        catch (final RestException e)
        {
            final RestResponse response = RestResponse.error(e.status(), e.getMessage(), e.field());
            return new Reply(response.status(), Json.parse(new String(response.body(), StandardCharsets.UTF_8)));
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close()
    {
        readout.close();
        feeder.close();
    }
}
