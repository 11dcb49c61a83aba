package org.kotekanj.baseband;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dump of the configured {@code max_dump_seconds} at a CHIME frequency's width (2048 inputs in 4 blocks of 512) is
 * written by a JVM whose heap is a fraction of the dump: the dump runs in a forked JVM with {@value #HEAP}, so any
 * whole-dump array on the heap (jHDF's way of writing) would end it with an {@link OutOfMemoryError} (exit 3 through
 * {@code -XX:+ExitOnOutOfMemoryError}). The file is then checked byte for byte here.
 */
class BoundedHeapDumpTest
{
    static final String HEAP = "-Xmx48m";
    static final int INPUTS = 2048;
    static final int SAMPLES_PER_FRAME = 16384;
    static final int FRAMES = 12;
    static final double MAX_DUMP_SECONDS = 0.2;
    /** {@code max_dump_seconds} in samples of 2.56 us: 78125 samples x 2048 inputs = 160 MB, 3.3 x the heap. */
    static final long MAX_DUMP_SAMPLES = (long)Math.floor(MAX_DUMP_SECONDS * 1e9 / 2560);
    static final long START = 2L * SAMPLES_PER_FRAME + 1000;

    @TempDir
    Path archive;

    @Test
    void shouldWriteADumpOfMaxDumpSecondsWithTheHeapBoundedFarBelowItsSize() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (flag.startsWith("--") || flag.startsWith("-D"))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
            Child.class.getName(), archive.toString()));
        final Path log = archive.resolve("child.log");
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        if (!child.waitFor(120, TimeUnit.SECONDS))
        {
            child.destroyForcibly();
            throw new AssertionError("the dump did not end in 120 s: " + Files.readString(log));
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        final String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        final JsonNode result = Json.parse(last);
        System.out.println(last.substring(0, Math.min(300, last.length())));
        assertTrue(result.get("peak_heap_bytes").asLong() < MAX_DUMP_SAMPLES * INPUTS, result.toString());
        final JsonNode status = result.get("status");
        assertEquals("done", status.get("status").asText(), status.toString());
        assertEquals(MAX_DUMP_SAMPLES * INPUTS, status.at("/freqs/0/total").asLong());

        final Path file = archive.resolve("test/astro_1/baseband_1_0.h5");
        final TplusESignal signal = new TplusESignal();
        try (HdfFile hdf = new HdfFile(file))
        {
            assertEquals(START, BasebandDumpTest.number(hdf, "time0_fpga_count"));
            assertEquals("full", hdf.getAttribute("status").getData());
            final Dataset baseband = hdf.getDatasetByPath("baseband");
            assertArrayEquals(new int[] {(int)MAX_DUMP_SAMPLES, INPUTS}, baseband.getDimensions());
            final int slab = 4096;
            for (long row = 0; row < MAX_DUMP_SAMPLES; row += slab)
            {
                final int rows = (int)Math.min(slab, MAX_DUMP_SAMPLES - row);
                final Object data = baseband.getData(new long[] {row, 0}, new int[] {rows, INPUTS});
                for (int r = 0; r < rows; r++)
                {
                    for (int i = 0; i < INPUTS; i++)
                    {
                        final int found = data instanceof int[][] ints ? ints[r][i] & 0xFF : ((byte[][])data)[r][i] &
                            0xFF;
                        final int want = signal.sample(START + row + r, 0, i) & 0xFF;
                        if (found != want)
                        {
                            throw new AssertionError("sample " + (START + row + r) + " input " + i + ": expected " +
                                want + ", found " + found);
                        }
                    }
                }
            }
            final Object present = hdf.getDatasetByPath("sample_present").getData();
            for (int t = 0; t < MAX_DUMP_SAMPLES; t++)
            {
                assertEquals(1, present instanceof int[] ints ? ints[t] : ((byte[])present)[t], "sample_present " + t);
            }
        }
    }

    /** The forked JVM: a CHIME-wide ring, one trigger of exactly {@code max_dump_seconds}, its status on stdout. */
    public static final class Child
    {
        public static void main(final String[] args) throws Exception
        {
            final Path archive = Path.of(args[0]);
            final int[] blockStreams = {0, 1, 2, 3};
            final NodeShape shape = new NodeShape(new int[] {0}, new double[] {800.0}, INPUTS, INPUTS,
                SAMPLES_PER_FRAME, 2, 4, 2560, blockStreams);
            try (ReadoutHarness h = new ReadoutHarness(archive, new RingFeeder(shape, FRAMES, new TplusESignal()),
                FreeSpace.fileSystem(), s -> new ReadoutSettings(s.archiveRoot(), MAX_DUMP_SECONDS, s.kDm(),
                    s.refFreqMhz(), s.maxQueuedEvents(), s.maxEventsKept(), 32 << 20, 4 << 20, 16 << 20,
                    s.frame0Nanos())))
            {
                h.feeder.feedRange(0, FRAMES);
                h.readout.doWork();
                final ReadoutHarness.Reply reply = h.post(ReadoutHarness.trigger(1, START, MAX_DUMP_SAMPLES, 0, 0,
                    400));
                if (reply.status() != 202)
                {
                    throw new IllegalStateException("trigger refused: " + reply.json());
                }
                final JsonNode status = h.runUntilEnded(1);
                long peak = 0;
                for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
                {
                    if (pool.getType() == MemoryType.HEAP)
                    {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                final var out = Json.object();
                out.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
                out.put("peak_heap_bytes", peak);
                out.set("status", status);
                System.out.println(out);
            }
        }
    }
}
