package org.kotekanj.sim.answers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.Node;
import io.jhdf.api.WritableDataset;
import io.jhdf.exceptions.HdfException;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.service.Version;

/**
 * Baseband windows in the names of the baseband dump contract ({@code shared/specs/baseband.md}): dataset
 * {@code baseband} (uint8 {@code [ntime][ninput]}), {@code sample_present} (uint8 {@code [ntime]}), root attributes
 * {@code freq_id} and {@code time0_fpga_count}. Row {@code r} holds sample {@code time0_fpga_count + r}. Reads any
 * dump; writes expected answers with those datasets plus {@code freq}, {@code delta_time} and
 * {@code software_version}, so they can be compared with a dump by the same tools.
 */
public final class BasebandWindowFile
{
    private static final DatasetCreationOptions UNSIGNED = DatasetCreationOptions.builder().unsigned().build();

    private BasebandWindowFile()
    {
    }

    /** {@code baseband_expected_{freq_id}_{first_seq}.h5}. */
    public static String fileName(final int freqId, final long firstSeq)
    {
        return "baseband_expected_" + freqId + "_" + firstSeq + ".h5";
    }

    public static void write(final Path file, final BasebandWindow window, final PacketGeometry geometry)
        throws IOException
    {
        final Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        final byte[] present = new byte[window.numTimes()];
        for (int t = 0; t < present.length; t++)
        {
            present[t] = (byte)(window.present()[t] ? 1 : 0);
        }
        try (WritableHdfFile hdf = HdfFile.write(partial))
        {
            final WritableDataset baseband = hdf.putDataset("baseband", window.samples(), UNSIGNED);
            baseband.putAttribute("axis", new String[] {"time", "input"});
            hdf.putDataset("sample_present", present, UNSIGNED);
            hdf.putAttribute("freq_id", (long)window.freqId());
            hdf.putAttribute("freq", geometry.freqMhz(window.freqId()));
            hdf.putAttribute("time0_fpga_count", window.firstSeq());
            hdf.putAttribute("delta_time", geometry.samplePeriodNs() * 1e-9);
            hdf.putAttribute("software_version", Version.softwareVersion());
        }
        catch (final HdfException e)
        {
            throw new IOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    public static BasebandWindow read(final Path file) throws IOException
    {
        try (HdfFile hdf = new HdfFile(file))
        {
            final byte[][] samples = bytes(hdf.getDatasetByPath("baseband").getData());
            final Object presence = hdf.getDatasetByPath("sample_present").getData();
            final boolean[] present = new boolean[samples.length];
            for (int t = 0; t < present.length; t++)
            {
                present[t] = (presence instanceof int[] ints ? ints[t] : ((byte[])presence)[t]) != 0;
            }
            return new BasebandWindow((int)longAttribute(hdf, "freq_id"), longAttribute(hdf, "time0_fpga_count"),
                samples, present);
        }
        catch (final HdfException | ClassCastException | ArrayIndexOutOfBoundsException e)
        {
            throw new IOException(file + " is not a baseband dump of the contract: " + e.getMessage(), e);
        }
    }

    /** Dataset {@code baseband} as bytes: jHDF widens uint8 to int. */
    private static byte[][] bytes(final Object data)
    {
        if (data instanceof byte[][] bytes)
        {
            return bytes;
        }
        final int[][] ints = (int[][])data;
        final byte[][] bytes = new byte[ints.length][];
        for (int t = 0; t < ints.length; t++)
        {
            bytes[t] = new byte[ints[t].length];
            for (int i = 0; i < ints[t].length; i++)
            {
                bytes[t][i] = (byte)ints[t][i];
            }
        }
        return bytes;
    }

    private static long longAttribute(final Node node, final String name) throws IOException
    {
        final Attribute attribute = node.getAttribute(name);
        if (attribute == null || !(attribute.getData() instanceof Number number))
        {
            throw new IOException(node.getFile() + " has no integer attribute " + name);
        }
        return number.longValue();
    }
}
