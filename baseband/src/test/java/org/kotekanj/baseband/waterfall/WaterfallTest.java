package org.kotekanj.baseband.waterfall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.baseband.FreeSpace;
import org.kotekanj.baseband.NodeShape;
import org.kotekanj.baseband.ReadoutHarness;
import org.kotekanj.baseband.RingFeeder;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.sim.signal.FrbPulse;
import org.kotekanj.sim.signal.FrbSignal;
import org.kotekanj.sim.signal.RandomSignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's {@code frb} signal on the single-board profile (1024 frequencies), dumped and drawn: the raw panel
 * shows the sweep (high frequencies first), the de-dispersed panel a straight line (every frequency's brightest
 * column the same).
 */
class WaterfallTest
{
    @TempDir
    Path archive;

    @Test
    void shouldShowTheSweepRawAndAStraightLineDeDispersed() throws Exception
    {
        final int numFreqs = 1024;
        final int[] ids = new int[numFreqs];
        final double[] mhz = new double[numFreqs];
        final PacketGeometry geometry = PacketGeometry.singleBoard();
        for (int f = 0; f < numFreqs; f++)
        {
            ids[f] = f;
            mhz[f] = geometry.freqMhz(f);
        }
        final NodeShape shape = new NodeShape(ids, mhz, 16, 16, 512, 2, 1, 2560, new int[numFreqs]);
        final FrbPulse pulse = new FrbPulse(2600, 0.2, 48, 6, 400.0, 4.148808, 2560);
        final FrbSignal signal = new FrbSignal(new RandomSignal(5), pulse, geometry, 9);
        try (ReadoutHarness h = new ReadoutHarness(archive, new RingFeeder(shape, 8, signal), FreeSpace.fileSystem(),
            s -> s))
        {
            h.feeder.feedRange(0, 7);
            h.readout.doWork();
            final ReadoutHarness.Reply reply = h.post("{\"event_id\": 77, \"start_fpga\": 2600, \"duration_nano\": " +
                300 * 2560 + ", \"dm\": 0.2, \"dm_error\": 0.02, \"file_path\": \"test\", \"ref_freq_mhz\": 400}");
            assertEquals(202, reply.status(), reply.json().toString());
            assertEquals("done", h.runUntilEnded(77).get("status").asText());
        }
        final Waterfall.Result result = Waterfall.render(archive.resolve("test/astro_77"), 512);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/waterfall-frb.png"), WaterfallEndpoint.png(result));
        final int[] ded = result.dedispersedPeakColumn();
        final int[] sorted = ded.clone();
        Arrays.sort(sorted);
        final int median = sorted[sorted.length / 2];
        final long straight = Arrays.stream(ded).filter(c -> Math.abs(c - median) <= 4).count();
        assertTrue(straight >= 0.97 * numFreqs, straight + " of " + numFreqs + " frequencies peak at column " +
            median + " after de-dispersion");
        final int[] raw = result.rawPeakColumn();
        final double top = Arrays.stream(raw, 0, 50).average().orElseThrow();
        final double bottom = Arrays.stream(raw, numFreqs - 50, numFreqs).average().orElseThrow();
        assertTrue(bottom - top > 200, "the sweep: high frequencies peak at column " + top + ", low at " + bottom);
    }
}
