package org.kotekanj.correlator;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;

/**
 * Writes a {@link VisibilityChunk} as the HDF5 file of the output contract: {@code vis_{first_fpga}.h5} in the output
 * directory, written as {@code .vis_{first_fpga}.h5.partial}, synced and then renamed, so a reader that lists the
 * directory never sees a half-written file.
 *
 * <pre>
 *   vis                   int64   [ntime][nfreq][nprod][2]
 *   lost_samples          int64   [ntime][nfreq]
 *   index_map/freq_id     uint32  [nfreq]
 *   index_map/freq_mhz    float64 [nfreq]
 *   index_map/prod        uint16  [nprod][2]
 *   index_map/time_fpga   uint64  [ntime]
 *   index_map/time_ctime  float64 [ntime]             only with a time reference
 *   vis_tolerance         float64 [ntime][nfreq][nprod] only in expected-answer files
 *   attributes: n_samples_per_integration, delta_time, ninput, software_version, time_source, backend,
 *               backend_device
 * </pre>
 */
public final class VisibilityFileWriter
{
    private static final DatasetCreationOptions UNSIGNED = DatasetCreationOptions.builder().unsigned().build();

    private VisibilityFileWriter()
    {
    }

    /** {@code vis_{first_fpga}.h5}. */
    public static String fileName(final long firstFpga)
    {
        return "vis_" + Long.toUnsignedString(firstFpga) + ".h5";
    }

    /** Writes the chunk into {@code directory} and returns the final path. */
    public static Path write(final Path directory, final VisibilityChunk chunk) throws IOException
    {
        Files.createDirectories(directory);
        final String name = fileName(chunk.timeFpga()[0]);
        final Path partial = directory.resolve("." + name + ".partial");
        try
        {
            try (WritableHdfFile file = HdfFile.write(partial))
            {
                writeContents(file, chunk);
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            return Files.move(partial, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final HdfException e)
        {
            throw new IOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
    }

    private static void writeContents(final WritableHdfFile file, final VisibilityChunk chunk)
    {
        file.putDataset("vis", chunk.vis());
        file.putDataset("lost_samples", chunk.lostSamples());
        if (chunk.tolerance() != null)
        {
            file.putDataset("vis_tolerance", chunk.tolerance());
        }
        final WritableGroup index = file.putGroup("index_map");
        index.putDataset("freq_id", chunk.freqIds(), UNSIGNED);
        index.putDataset("freq_mhz", chunk.freqMhz());
        index.putDataset("prod", products(chunk.numInputs()), UNSIGNED);
        index.putDataset("time_fpga", chunk.timeFpga(), UNSIGNED);
        if (chunk.timeCtime() != null)
        {
            index.putDataset("time_ctime", chunk.timeCtime());
        }
        file.putAttribute("n_samples_per_integration", chunk.samplesPerIntegration());
        file.putAttribute("delta_time", chunk.deltaTime());
        file.putAttribute("ninput", (long)chunk.numInputs());
        file.putAttribute("software_version", chunk.softwareVersion());
        file.putAttribute("time_source", chunk.timeSource());
        file.putAttribute("backend", chunk.backend());
        file.putAttribute("backend_device", chunk.backendDevice());
    }

    /** {@code index_map/prod}: the (a, b) of each product, as u16 bit patterns. */
    private static short[][] products(final int numInputs)
    {
        final short[][] pairs = new short[(int)ProductIndex.count(numInputs)][];
        int p = 0;
        for (int a = 0; a < numInputs; a++)
        {
            for (int b = a; b < numInputs; b++)
            {
                pairs[p++] = new short[] {(short)a, (short)b};
            }
        }
        return pairs;
    }
}
