package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.kotekanj.baseband.hdf5.Hdf5File;
import org.kotekanj.baseband.plan.FreqPlan;
import org.kotekanj.baseband.plan.TimeReference;
import org.kotekanj.service.Version;

/**
 * One (event, frequency) file of the contract while it is written: {@code .{name}.partial} with datasets
 * {@code baseband} (uint8 {@code [ntime][ninput]}, {@code axis = ["time", "input"]}), {@code sample_present}
 * (uint8 {@code [ntime]}) and {@code index_map/input_chan_id}, {@code index_map/input_correlator_input}; rows are
 * written as they arrive from staging, the root attributes at the end, then fsync and rename. {@code baseband} is
 * contiguous and allocated at creation: its bytes go straight to its file offset through a {@link DatasetWriter}
 * (O_DIRECT, one write per chunk), libhdf5 writes the rest. A streamed file ({@link StreamedFile}) has its samples
 * written ({@link #writeSamples}) before libhdf5 writes anything more ({@link #writePresent}, {@link #closeMetadata}).
 * A file is used by one thread at a time; the libhdf5 calls of all files go through one lock, so that files on
 * different threads are safe also with a libhdf5 not built thread-safe (Debian's is, and serialises calls itself).
 */
final class BasebandFile implements AutoCloseable
{
    static final String ARCHIVE_VERSION = "kotekan-j-baseband-1";

    /** Held around every libhdf5 call. */
    private static final Object LIBHDF5 = new Object();

    /** The index maps of the last input count seen (every file of a node has the same): built once, not per file. */
    private static volatile IndexMaps indexMaps;

    private record IndexMaps(short[] chanIds, String[] correlatorInputs)
    {
        static IndexMaps of(final int numInputs)
        {
            final IndexMaps last = indexMaps;
            if (last != null && last.chanIds.length == numInputs)
            {
                return last;
            }
            final short[] chanIds = new short[numInputs];
            final String[] correlatorInputs = new String[numInputs];
            for (int i = 0; i < numInputs; i++)
            {
                chanIds[i] = (short)i;
                correlatorInputs[i] = String.format("FCC%06d", i);
            }
            final IndexMaps made = new IndexMaps(chanIds, correlatorInputs);
            indexMaps = made;
            return made;
        }
    }

    private final FreqDump dump;
    private final Hdf5File hdf;
    private final Hdf5File.Dataset baseband;
    private final Hdf5File.Dataset present;
    private final DatasetWriter samples;
    private final long firstSample;

    private BasebandFile(final FreqDump dump, final Hdf5File hdf, final Hdf5File.Dataset baseband,
        final Hdf5File.Dataset present, final DatasetWriter samples)
    {
        this.dump = dump;
        this.hdf = hdf;
        this.baseband = baseband;
        this.present = present;
        this.samples = samples;
        this.firstSample = dump.plan().planned().start();
    }

    static BasebandFile create(final FreqDump dump, final int numInputs) throws IOException
    {
        Files.createDirectories(dump.file().getParent());
        final IndexMaps maps = IndexMaps.of(numInputs);
        synchronized (LIBHDF5)
        {
            final Hdf5File hdf = Hdf5File.create(dump.partialFile());
            try
            {
                final long rows = dump.plan().planned().length();
                final Hdf5File.Dataset baseband = hdf.createContiguousUint8("baseband", rows, numInputs);
                hdf.attribute(baseband, "axis", new String[] {"time", "input"});
                final Hdf5File.Dataset present = hdf.createUint8("sample_present", rows, 0);
                hdf.createGroup("index_map");
                hdf.writeUint16("index_map/input_chan_id", maps.chanIds());
                hdf.writeStrings("index_map/input_correlator_input", maps.correlatorInputs());
                final long offset = hdf.offset(baseband);
                final DatasetWriter samples = offset < 0 ? null :
                    new DatasetWriter(dump.partialFile(), offset, rows * numInputs);
                return new BasebandFile(dump, hdf, baseband, present, samples);
            }
            catch (final IOException | RuntimeException e)
            {
                closeQuietly(hdf);
                throw e;
            }
        }
    }

    /**
     * Where the samples start in the file when they go there byte for byte from staging (through the
     * {@link DatasetWriter}), so that the commit can hash them from memory; -1 when libhdf5 writes them.
     */
    long samplesOffset()
    {
        return samples == null ? -1 : samples.offset();
    }

    void write(final StagedChunk chunk) throws IOException
    {
        final long row = chunk.firstSample() - firstSample;
        if (samples != null)
        {
            samples.write(chunk.samples(), row * chunk.inputs());
        }
        synchronized (LIBHDF5)
        {
            if (samples == null)
            {
                hdf.writeRows(baseband, row, chunk.rows(), chunk.samples());
            }
            hdf.writeRows(present, row, chunk.rows(), chunk.present());
        }
    }

    /** Every row of {@code sample_present} (libhdf5), before {@link #closeMetadata}. */
    void writePresent(final MemorySegment rows) throws IOException
    {
        synchronized (LIBHDF5)
        {
            hdf.writeRows(present, 0, dump.plan().planned().length(), rows);
        }
    }

    /** The chunk's samples at their offset, also after {@link #closeMetadata} (needs {@link #samplesOffset} >= 0). */
    void writeSamples(final StagedChunk chunk) throws IOException
    {
        samples.write(chunk.samples(), (chunk.firstSample() - firstSample) * chunk.inputs());
    }

    /** Writes the root attributes and closes the HDF5 file; {@link #commit} then puts it in place. */
    void finish(final BasebandEvent event, final boolean full, final double kDm, final long samplePeriodNs)
        throws IOException
    {
        closeMetadata(event, full, kDm, samplePeriodNs);
        closeSamples();
    }

    /**
     * Writes the root attributes and closes the HDF5 file: every byte but the samples is then final; the samples'
     * writer stays open.
     */
    void closeMetadata(final BasebandEvent event, final boolean full, final double kDm, final long samplePeriodNs)
        throws IOException
    {
        synchronized (LIBHDF5)
        {
            writeAttributes(event, full, kDm, samplePeriodNs);
            hdf.closeDataset(baseband);
            hdf.closeDataset(present);
            hdf.close();
        }
    }

    private void writeAttributes(final BasebandEvent event, final boolean full, final double kDm,
        final long samplePeriodNs) throws IOException
    {
        final FreqPlan plan = dump.plan();
        final TimeReference time = event.time();
        hdf.attribute("archive_version", ARCHIVE_VERSION);
        hdf.attribute("event_id", event.eventId());
        hdf.attribute("freq_id", (long)plan.freqId());
        hdf.attribute("freq", plan.freqMhz());
        hdf.attribute("time0_fpga_count", firstSample);
        hdf.attribute("time0_ctime", time == null ? 0.0 : time.ctime(firstSample, samplePeriodNs));
        hdf.attribute("time0_ctime_offset", 0.0);
        hdf.attribute("type_time0_ctime", time == null ? "NONE" : time.type());
        hdf.attribute("delta_time", samplePeriodNs * 1e-9);
        hdf.attribute("first_packet_recv_time", time == null ? 0.0 : time.firstPacketRecvNanos() * 1e-9);
        hdf.attribute("dm", event.request().dm());
        hdf.attribute("dm_error", event.request().dmError());
        hdf.attribute("k_dm", kDm);
        hdf.attribute("ref_freq", event.request().refFreqMhz());
        hdf.attribute("event_start_fpga", plan.requested().start());
        hdf.attribute("event_end_fpga", plan.requested().end());
        hdf.attribute("n_lost_samples", dump.lostSamples());
        hdf.attribute("status", full ? "full" : "partial");
        hdf.attribute("software_version", Version.softwareVersion());
    }

    void closeSamples() throws IOException
    {
        if (samples != null)
        {
            samples.close();
        }
    }

    /** Fsyncs the closed {@code .partial}, renames it into place and fsyncs the directory; returns its size. */
    static long commit(final FreqDump dump) throws IOException
    {
        sync(dump);
        return place(dump);
    }

    /** Fsyncs the closed {@code .partial}. */
    static void sync(final FreqDump dump) throws IOException
    {
        final long began = System.nanoTime();
        try (FileChannel channel = FileChannel.open(dump.partialFile(), StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
        dump.phases.add(DumpPhases.Phase.FSYNC, System.nanoTime() - began);
    }

    /** Renames the synced {@code .partial} into place and fsyncs the directory; returns the file's size. */
    static long place(final FreqDump dump) throws IOException
    {
        final long began = System.nanoTime();
        Files.move(dump.partialFile(), dump.file(), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dump.file().getParent());
        dump.phases.add(DumpPhases.Phase.RENAME, System.nanoTime() - began);
        return Files.size(dump.file());
    }

    /** Closes without finishing: the {@code .partial} stays, as the contract asks after a failure. */
    @Override
    public void close()
    {
        try
        {
            closeSamples();
        }
        catch (final IOException e)
        {
            // Already failing: the caller reports the first error.
        }
        closeQuietly(hdf);
    }

    static void syncDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException e)
        {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
        }
    }

    private static void closeQuietly(final Hdf5File hdf)
    {
        try
        {
            synchronized (LIBHDF5)
            {
                hdf.close();
            }
        }
        catch (final IOException e)
        {
            // Already failing: the caller reports the first error.
        }
    }
}
