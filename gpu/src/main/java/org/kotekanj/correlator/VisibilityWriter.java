package org.kotekanj.correlator;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.log.Log;
import org.kotekanj.service.Version;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Writes integrated visibility frames ({@link VisibilityFrameDescriptor}) to HDF5 files of the output contract
 * ({@code shared/specs/visibilities.md}, {@link VisibilityFileWriter}): {@code integrations_per_file} integrations per
 * file, {@code vis_{first_fpga}.h5} in {@code output_dir}, written as {@code .partial} and renamed when complete. A
 * file holds consecutive integrations of one shape; a change of frequencies starts a new file, and the last, shorter
 * file is written when the run ends.
 *
 * <pre>
 * writer:
 *   kotekan_stage: VisibilityWriter
 *   in_buf: visibilities
 *   output_dir: ./vis
 *   integrations_per_file: 16
 *   time_source: NONE            # NONE | CONFIG (with start_unix_time_s: the unix time of sample 0) | GPS
 * </pre>
 *
 * Frequencies in MHz and the integration length in seconds come from the packet geometry keys ({@code profile},
 * {@code freq_top_mhz}, {@code freq_step_mhz}, {@code sample_period_ns}), inherited like the correlator's.
 * Metrics: {@code kotekan_vis_files_total}, {@code kotekan_vis_integrations_written_total}.
 */
public final class VisibilityWriter extends Stage
{
    private final FrameConsumer in;
    private final Log log;
    private final Path outputDir;
    private final int integrationsPerFile;
    private final String timeSource;
    private final double startUnixTime;
    private final PacketGeometry packets;
    private final AtomicCounter files;
    private final AtomicCounter written;
    private PendingFile pending;

    /** The integrations of the file being gathered. */
    private record PendingFile(int numInputs, int[] freqIds, long samplesPerIntegration, String backend, String device,
        long[] timeFpga, long[][][][] vis, long[][] lost, int[] count)
    {
    }

    public VisibilityWriter(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        log = context.log();
        in = context.inBuffer("in_buf");
        outputDir = Path.of(config.getString("output_dir", "."));
        integrationsPerFile = config.getInt("integrations_per_file", 1);
        if (integrationsPerFile < 1 || integrationsPerFile > 1_000_000)
        {
            config.error("integrations_per_file", "must be 1..1000000, found " + integrationsPerFile);
        }
        timeSource = config.getString("time_source", "NONE");
        if (!VisibilityChunk.TIME_SOURCES.contains(timeSource))
        {
            config.error("time_source", "must be one of " + VisibilityChunk.TIME_SOURCES + ", found " + timeSource);
        }
        startUnixTime = "NONE".equals(timeSource) ? 0 : config.getDouble("start_unix_time_s");
        packets = PacketGeometry.read(config);
        files = context.metrics().counter("kotekan_vis_files_total", path());
        written = context.metrics().counter("kotekan_vis_integrations_written_total", path());
    }

    @Override
    public void onStart() throws IOException
    {
        Files.createDirectories(outputDir);
    }

    @Override
    public int doWork() throws IOException
    {
        final int slot = in.tryAcquire();
        if (slot < 0)
        {
            return 0;
        }
        final MemorySegment frame = in.frame(slot);
        add(frame);
        in.release();
        if (pending.count()[0] == integrationsPerFile)
        {
            flush();
        }
        return 1;
    }

    private void add(final MemorySegment frame) throws IOException
    {
        final int numFreq = VisibilityFrameDescriptor.numFreq(frame);
        final int numInputs = VisibilityFrameDescriptor.numInputs(frame);
        final long numProducts = VisibilityFrameDescriptor.numProducts(frame);
        if (numProducts != ProductIndex.count(numInputs) || numFreq < 1 ||
            VisibilityFrameDescriptor.length(numFreq, numInputs) > frame.byteSize())
        {
            throw new IllegalStateException("visibility frame does not describe itself: " + numFreq + " freqs, " +
                numInputs + " inputs, " + numProducts + " products in " + frame.byteSize() + " bytes");
        }
        final int[] freqIds = new int[numFreq];
        for (int f = 0; f < numFreq; f++)
        {
            freqIds[f] = VisibilityFrameDescriptor.freqId(frame, f);
        }
        final long spi = VisibilityFrameDescriptor.samplesPerIntegration(frame);
        if (pending != null && (pending.numInputs() != numInputs || pending.samplesPerIntegration() != spi ||
            !java.util.Arrays.equals(pending.freqIds(), freqIds)))
        {
            flush();
        }
        if (pending == null)
        {
            pending = new PendingFile(numInputs, freqIds, spi, VisibilityFrameDescriptor.backend(frame),
                VisibilityFrameDescriptor.device(frame), new long[integrationsPerFile],
                new long[integrationsPerFile][][][], new long[integrationsPerFile][], new int[1]);
        }
        final int t = pending.count()[0]++;
        pending.timeFpga()[t] = VisibilityFrameDescriptor.firstSample(frame);
        final MemorySegment sums = VisibilityFrameDescriptor.visibilities(frame);
        final long[][][] vis = new long[numFreq][(int)numProducts][2];
        final long[] lost = new long[numFreq];
        long at = 0;
        for (int f = 0; f < numFreq; f++)
        {
            lost[f] = VisibilityFrameDescriptor.lostSamples(frame, f);
            for (int p = 0; p < numProducts; p++)
            {
                vis[f][p][0] = sums.get(JAVA_LONG_UNALIGNED, at);
                vis[f][p][1] = sums.get(JAVA_LONG_UNALIGNED, at + 8);
                at += 16;
            }
        }
        pending.vis()[t] = vis;
        pending.lost()[t] = lost;
    }

    /** Writes the gathered integrations as one file. */
    private void flush() throws IOException
    {
        if (pending == null || pending.count()[0] == 0)
        {
            pending = null;
            return;
        }
        final int ntime = pending.count()[0];
        final long[] timeFpga = java.util.Arrays.copyOf(pending.timeFpga(), ntime);
        final double[] freqMhz = new double[pending.freqIds().length];
        for (int f = 0; f < freqMhz.length; f++)
        {
            freqMhz[f] = packets.freqMhz(pending.freqIds()[f]);
        }
        double[] ctime = null;
        if (!"NONE".equals(timeSource))
        {
            ctime = new double[ntime];
            for (int t = 0; t < ntime; t++)
            {
                ctime[t] = startUnixTime + timeFpga[t] * packets.samplePeriodNs() * 1e-9;
            }
        }
        final VisibilityChunk chunk = new VisibilityChunk(pending.numInputs(), pending.samplesPerIntegration(),
            pending.samplesPerIntegration() * packets.samplePeriodNs() * 1e-9, timeSource, pending.backend(),
            pending.device(), Version.softwareVersion(), pending.freqIds(), freqMhz, timeFpga, ctime,
            java.util.Arrays.copyOf(pending.vis(), ntime), java.util.Arrays.copyOf(pending.lost(), ntime), null);
        final Path file = VisibilityFileWriter.write(outputDir, chunk);
        files.incrementRelease();
        written.getAndAddRelease(ntime);
        log.info("wrote " + file + " (" + ntime + " integration" + (ntime == 1 ? "" : "s") + ")");
        pending = null;
    }

    @Override
    public void onClose() throws IOException
    {
        flush();
    }

    @Override
    public String statusLine()
    {
        return files.get() + " files, " + written.get() + " integrations written to " + outputDir;
    }
}
