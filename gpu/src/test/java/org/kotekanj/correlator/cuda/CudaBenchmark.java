package org.kotekanj.correlator.cuda;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;
import org.kotekanj.correlator.CorrelatorGeometry;

import static org.kotekanj.correlator.cuda.CudaDriver.check;

/**
 * One CHIME node's work on the GPU (2048 inputs x 4 frequencies, 49152-sample frames, 10 frames per integration):
 * kernel TOPS against the int8 dense peak, the multiple of real time (390,625 samples/s) of the kernels alone and
 * end to end with host-to-device copies from pinned frames, and the copy bandwidth against {@code cuMemcpyHtoD} from
 * {@code cuMemAllocHost} memory measured in the same run. Run by {@code tools/gpu-check.sh}:
 * {@code CudaBenchmark RESULTS_FILE}.
 */
public final class CudaBenchmark
{
    static final int INPUTS = 2048;
    static final int FREQS = 4;
    static final int SAMPLES = 49152;
    static final double SAMPLE_RATE = 390_625;
    /** H100/H200 SXM int8 dense tensor peak, TOPS. */
    static final double PEAK_TOPS = 1979;
    static final int FRAMES = 30;

    private CudaBenchmark()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final String reason = CudaDriverProbe.unavailableReason(0);
        if (reason != null)
        {
            System.err.println("CudaBenchmark: " + reason);
            System.exit(3);
        }
        final CorrelatorGeometry g = new CorrelatorGeometry(FREQS, INPUTS, INPUTS, SAMPLES, 10L * SAMPLES);
        final KernelGeometry shapes = new KernelGeometry(g);
        final Map<String, String> results = new LinkedHashMap<>();
        try (CudaRig rig = new CudaRig(g, 3, 2, CudaRig.settings(3, CudaSettings.MAX_FLUSH_STAGES)))
        {
            results.put("device", rig.backend.device());
            final SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < 3; i++)
            {
                final MemorySegment frame = rig.sampleFrames.get(i).segment();
                for (long o = 0; o < frame.byteSize(); o += 8)
                {
                    frame.set(ValueLayout.JAVA_LONG_UNALIGNED, o, random.nextLong());
                }
            }
            final double peakCopy = pinnedCopyPeak(g.frameBytes());

            run(rig, 10);   // warm-up: one integration
            final long[][] before = snapshot(rig.backend.timings());
            final long start = System.nanoTime();
            run(rig, FRAMES);
            final double wall = (System.nanoTime() - start) / 1e9;
            final CommandTimings t = rig.backend.timings();

            final double unpack = mean(t, before, CudaCommand.UNPACK);
            final double correlate = mean(t, before, CudaCommand.CORRELATE);
            final double copyIn = mean(t, before, CudaCommand.COPY_IN);
            final double copyOut = mean(t, before, CudaCommand.COPY_OUT);
            final double frameSeconds = SAMPLES / SAMPLE_RATE;
            results.put("geometry", INPUTS + " inputs x " + FREQS + " freq, " + SAMPLES + " samples/frame (" +
                String.format("%.4f", frameSeconds) + " s of data), 10 frames per integration");
            results.put("unpack_ms", String.format("%.3f", unpack * 1e3));
            results.put("correlate_ms", String.format("%.3f", correlate * 1e3));
            results.put("copy_in_ms", String.format("%.3f", copyIn * 1e3));
            results.put("copy_out_ms", String.format("%.3f", copyOut * 1e3));
            final double tensorTops = shapes.tensorOps(SAMPLES) / correlate / 1e12;
            final double usefulTops = shapes.usefulOps(SAMPLES) / correlate / 1e12;
            results.put("correlate_tensor_tops", String.format("%.1f (%.1f %% of %.0f int8 dense peak)", tensorTops,
                100 * tensorTops / PEAK_TOPS, PEAK_TOPS));
            results.put("correlate_useful_tops", String.format("%.1f (8 ops per complex MAC of the upper triangle)",
                usefulTops));
            results.put("kernels_realtime_multiple", String.format("%.1f", frameSeconds / (unpack + correlate)));
            final double framesPerSecond = FRAMES / wall;
            results.put("end_to_end_frames_per_s", String.format("%.2f (%.1f x real time of one CHIME node)",
                framesPerSecond, framesPerSecond * frameSeconds));
            final double copyRate = g.frameBytes() / copyIn / 1e9;
            results.put("htod_pinned_peak_gb_s", String.format("%.2f", peakCopy));
            results.put("htod_copy_in_gb_s", String.format("%.2f (%.1f %% of the pinned peak)", copyRate,
                100 * copyRate / peakCopy));
            results.put("unpinned_copies", Long.toString(rig.backend.unpinnedCopies()));
            results.put("status_line", t.statusLine());
        }
        final StringBuilder out = new StringBuilder();
        results.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        System.out.print(out);
        if (args.length > 0)
        {
            Files.writeString(Path.of(args[0]), out);
        }
    }

    /** Frames through the backend as the stage sends them: a host frame is reused only once retired. */
    private static void run(final CudaRig rig, final int frames)
    {
        final var backend = rig.backend;
        final long retiredAtStart = backend.framesRetired();
        final long integrationsAtStart = backend.integrationsCompleted();
        int integration = 0;
        for (int i = 0; i < frames; i++)
        {
            if (i % 10 == 0)
            {
                backend.beginIntegration(rig.visibilities(integration++ % 2));
            }
            while (backend.framesRetired() < retiredAtStart + i - 2)
            {
                backend.poll();
            }
            backend.accumulate(rig.sampleFrames.get(i % 3).segment(), 0, SAMPLES, true);
            if (i % 10 == 9)
            {
                backend.endIntegration();
            }
            backend.poll();
        }
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (backend.integrationsCompleted() < integrationsAtStart + frames / 10 && System.nanoTime() < deadline)
        {
            backend.poll();
        }
    }

    /** Counts and totals of every command, to subtract the warm-up. */
    private static long[][] snapshot(final CommandTimings timings)
    {
        final long[][] values = new long[CudaCommand.values().length][];
        for (final CudaCommand c : CudaCommand.values())
        {
            values[c.ordinal()] = new long[] {timings.count(c), timings.totalNanos(c)};
        }
        return values;
    }

    private static double mean(final CommandTimings after, final long[][] before, final CudaCommand c)
    {
        final long count = after.count(c) - before[c.ordinal()][0];
        return count == 0 ? Double.NaN : (after.totalNanos(c) - before[c.ordinal()][1]) / 1e9 / count;
    }

    /** Median of 5 synchronous {@code cuMemcpyHtoD} of {@code bytes} from page-locked host memory, GB/s. */
    private static double pinnedCopyPeak(final long bytes)
    {
        final Pointer host = new Pointer();
        final CUdeviceptr device = new CUdeviceptr();
        check(JCudaDriver.cuMemAllocHost(host, bytes), "cuMemAllocHost");
        check(JCudaDriver.cuMemAlloc(device, bytes), "cuMemAlloc");
        final CUevent start = new CUevent();
        final CUevent end = new CUevent();
        check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        final double[] rates = new double[5];
        final float[] ms = new float[1];
        check(JCudaDriver.cuMemcpyHtoD(device, host, bytes), "cuMemcpyHtoD");   // warm-up
        for (int i = 0; i < rates.length; i++)
        {
            check(JCudaDriver.cuEventRecord(start, null), "cuEventRecord");
            check(JCudaDriver.cuMemcpyHtoD(device, host, bytes), "cuMemcpyHtoD");
            check(JCudaDriver.cuEventRecord(end, null), "cuEventRecord");
            check(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            rates[i] = bytes / (ms[0] / 1e3) / 1e9;
        }
        JCudaDriver.cuEventDestroy(start);
        JCudaDriver.cuEventDestroy(end);
        JCudaDriver.cuMemFree(device);
        JCudaDriver.cuMemFreeHost(host);
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }
}
