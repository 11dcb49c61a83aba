package org.kotekanj.correlator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;

/**
 * Reads a visibility file of the output contract back into a {@link VisibilityChunk}, checking that its product map
 * is the contract's order; what a verifier or a test needs, whoever wrote the file.
 */
public final class VisibilityFileReader
{
    private VisibilityFileReader()
    {
    }

    public static VisibilityChunk read(final Path path) throws IOException
    {
        try (HdfFile file = new HdfFile(path))
        {
            final int numInputs = (int)longAttribute(file, "ninput");
            checkProducts(path, intMatrix(dataset(file, "index_map/prod")), numInputs);
            final double[] timeCtime = has(file, "index_map/time_ctime") ?
                (double[])dataset(file, "index_map/time_ctime") : null;
            try
            {
                return new VisibilityChunk(numInputs, longAttribute(file, "n_samples_per_integration"),
                    ((Number)attribute(file, "delta_time")).doubleValue(), stringAttribute(file, "time_source"),
                    stringAttribute(file, "backend"), optionalString(file, "backend_device"),
                    stringAttribute(file, "software_version"), toInts(dataset(file, "index_map/freq_id")),
                    (double[])dataset(file, "index_map/freq_mhz"), toLongs(dataset(file, "index_map/time_fpga")),
                    timeCtime, (long[][][][])dataset(file, "vis"), (long[][])dataset(file, "lost_samples"),
                    has(file, "vis_tolerance") ? (double[][][])dataset(file, "vis_tolerance") : null);
            }
            catch (final IllegalArgumentException | ClassCastException | ArithmeticException e)
            {
                throw new IOException(path + " is not a visibility file of the contract: " + e.getMessage(), e);
            }
        }
        catch (final HdfException e)
        {
            throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean has(final HdfFile file, final String path)
    {
        try
        {
            return file.getByPath(path) != null;
        }
        catch (final HdfException e)
        {
            return false;
        }
    }

    private static Object dataset(final HdfFile file, final String path) throws IOException
    {
        if (!has(file, path) || !(file.getByPath(path) instanceof Dataset dataset))
        {
            throw new IOException(file.getFile() + " has no dataset " + path);
        }
        return dataset.getData();
    }

    private static Object attribute(final Node node, final String name) throws IOException
    {
        final Attribute attribute = node.getAttribute(name);
        if (attribute == null)
        {
            throw new IOException(node.getFile() + " has no attribute " + name);
        }
        return attribute.getData();
    }

    private static long longAttribute(final Node node, final String name) throws IOException
    {
        if (attribute(node, name) instanceof Number number)
        {
            return number.longValue();
        }
        throw new IOException("attribute " + name + " of " + node.getFile() + " is not an integer");
    }

    private static String stringAttribute(final Node node, final String name) throws IOException
    {
        return String.valueOf(attribute(node, name));
    }

    private static String optionalString(final Node node, final String name) throws IOException
    {
        return node.getAttribute(name) == null ? "" : stringAttribute(node, name);
    }

    /** u32 comes back widened to long. */
    private static int[] toInts(final Object data)
    {
        if (data instanceof int[] ints)
        {
            return ints;
        }
        final long[] longs = (long[])data;
        final int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++)
        {
            ints[i] = Math.toIntExact(longs[i]);
        }
        return ints;
    }

    /** u64 comes back as BigInteger; the sample counter is 48 bits, so it fits a long. */
    private static long[] toLongs(final Object data)
    {
        if (data instanceof long[] longs)
        {
            return longs;
        }
        final BigInteger[] big = (BigInteger[])data;
        final long[] longs = new long[big.length];
        for (int i = 0; i < big.length; i++)
        {
            longs[i] = big[i].longValueExact();
        }
        return longs;
    }

    /** u16 comes back widened to int. */
    private static int[][] intMatrix(final Object data)
    {
        if (data instanceof int[][] ints)
        {
            return ints;
        }
        final short[][] shorts = (short[][])data;
        final int[][] ints = new int[shorts.length][];
        for (int i = 0; i < shorts.length; i++)
        {
            ints[i] = new int[shorts[i].length];
            for (int j = 0; j < shorts[i].length; j++)
            {
                ints[i][j] = shorts[i][j] & 0xFFFF;
            }
        }
        return ints;
    }

    private static void checkProducts(final Path path, final int[][] pairs, final int numInputs) throws IOException
    {
        if (pairs.length != ProductIndex.count(numInputs))
        {
            throw new IOException(path + ": index_map/prod has " + pairs.length + " products, ninput " + numInputs +
                " needs " + ProductIndex.count(numInputs));
        }
        for (int p = 0; p < pairs.length; p++)
        {
            if (pairs[p].length != 2 || pairs[p][0] > pairs[p][1] || pairs[p][1] >= numInputs ||
                ProductIndex.of(pairs[p][0], pairs[p][1], numInputs) != p)
            {
                throw new IOException(path + ": index_map/prod[" + p + "] is not in the contract's order");
            }
        }
    }
}
