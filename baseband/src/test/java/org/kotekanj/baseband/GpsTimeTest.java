package org.kotekanj.baseband;

import java.nio.file.Path;

import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /gps_time}: a GPS-disciplined frame0 becomes the time reference, and the files say {@code GPS}. */
class GpsTimeTest
{
    /** 2024-01-01T00:00:00Z, different from the harness's CONFIG frame0 (2023-11-14). */
    private static final long GPS_FRAME0 = 1_704_067_200_000_000_000L;

    @TempDir
    Path archive;

    private static String unixTrigger(final long id, final long unixNanos)
    {
        return String.format("{\"event_id\": %d, \"start_unix_seconds\": %d, \"start_unix_nano\": %d, " +
            "\"duration_nano\": %d, \"dm\": 0, \"dm_error\": 0, \"file_path\": \"test\"}", id,
            unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L, 100 * 2560);
    }

    @Test
    void shouldAcceptUnixTriggersOnceAGpsTimeIsPostedAndWriteGpsIntoTheFiles() throws Exception
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64, FreeSpace.fileSystem(),
            ReadoutHarness::withoutFrame0))
        {
            final long start = GPS_FRAME0 + 50_000L * 2560;
            assertEquals(422, h.post(unixTrigger(1, start)).status());
            final ReadoutHarness.Reply set = h.postGpsTime("{\"frame0_nano\": " + GPS_FRAME0 + "}");
            assertEquals(200, set.status());
            assertEquals("GPS", set.json().get("type_time0_ctime").asText());
            assertEquals(GPS_FRAME0, set.json().get("frame0_unix_nano").asLong());
            // The first packets' arrival no longer replaces it, but fills in first_packet_recv_time.
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals("GPS", h.readout.timeReference().type());
            assertEquals(GPS_FRAME0, h.readout.timeReference().frame0Nanos());
            assertTrue(h.readout.timeReference().firstPacketRecvNanos() != 0);

            final ReadoutHarness.Reply reply = h.post(unixTrigger(2, start));
            assertEquals(202, reply.status());
            assertEquals(50_000L, reply.json().get("freqs").get("0").get("start_fpga").asLong());
            h.runUntilEnded(2);
            try (HdfFile hdf = new HdfFile(archive.resolve("test/astro_2/baseband_2_0.h5")))
            {
                assertEquals("GPS", hdf.getAttribute("type_time0_ctime").getData());
                assertEquals(start * 1e-9, (double)hdf.getAttribute("time0_ctime").getData(), 1e-6);
            }
        }
    }

    @Test
    void shouldReplaceAConfigTimeButKeepTheReferenceEachEventWasPlannedWith() throws Exception
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 64))
        {
            h.feeder.feedRange(0, 64);
            h.readout.doWork();
            assertEquals(202, h.post(ReadoutHarness.trigger(3, 50_000, 100, 0, 0, 400)).status());
            assertEquals(200, h.postGpsTime("{\"frame0_nano\": " + GPS_FRAME0 + "}").status());
            assertEquals(202, h.post(ReadoutHarness.trigger(4, 50_000, 100, 0, 0, 400)).status());
            h.runUntilEnded(3);
            h.runUntilEnded(4);
            try (HdfFile before = new HdfFile(archive.resolve("test/astro_3/baseband_3_0.h5"));
                HdfFile after = new HdfFile(archive.resolve("test/astro_4/baseband_4_0.h5")))
            {
                assertEquals("CONFIG", before.getAttribute("type_time0_ctime").getData());
                assertEquals((ReadoutHarness.FRAME0 + 50_000L * 2560) * 1e-9,
                    (double)before.getAttribute("time0_ctime").getData(), 1e-6);
                assertEquals("GPS", after.getAttribute("type_time0_ctime").getData());
                assertEquals((GPS_FRAME0 + 50_000L * 2560) * 1e-9,
                    (double)after.getAttribute("time0_ctime").getData(), 1e-6);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "{\"frame0_nano\": \"1704067200000000000\"}",
        "{\"frame0_nano\": 1.7e18}", "{\"frame0_nano\": 1e400}", "{\"frame0_nano\": -1}",
        "{\"frame0_nano\": 99999999999999999999}", "{\"frame0_nano\": 0}",
        "{\"frame0_nano\": 946684799999999999}", "{\"frame0_nano\": 4000000000000000000}", "{\"frame0_nano\": null}"})
    void shouldRefuseABadGpsTimeWithA400AndKeepTheOldReference(final String body)
    {
        try (ReadoutHarness h = new ReadoutHarness(archive, 8))
        {
            final ReadoutHarness.Reply reply = h.postGpsTime(body);
            assertEquals(400, reply.status(), body);
            assertTrue(reply.json().get("error").asText().length() > 5, body);
            if (body.startsWith("{\"frame0_nano\""))
            {
                assertEquals("frame0_nano", reply.json().get("field").asText(), body);
            }
            assertEquals("CONFIG", h.readout.timeReference().type());
            assertEquals(ReadoutHarness.FRAME0, h.readout.timeReference().frame0Nanos());
        }
    }
}
