package org.kotekanj.correlator;

import java.util.Set;

/**
 * One output chunk of the correlator, as stored in one visibility file ({@code shared/specs/visibilities.md}):
 * integer sums {@code vis[time][freq][prod][re, im]}, the lost samples of each integration and frequency, and the
 * axes and attributes that say what they are. Arrays are shared, not copied: a chunk is built once and written.
 *
 * <p>{@code backend} is {@code cpu} or {@code cuda} exactly, so readers can switch on it; the device name is in
 * {@code backendDevice} (attribute {@code backend_device}). {@code timeCtime} is {@code null} when there is no time
 * reference ({@code time_source = NONE}); then the file has no {@code index_map/time_ctime}. {@code tolerance}
 * ({@code vis_tolerance[time][freq][prod]}, the allowed |difference| of each part) is only set in expected-answer
 * files whose values are statistical; it is {@code null} in correlator output.
 */
public record VisibilityChunk(int numInputs, long samplesPerIntegration, double deltaTime, String timeSource,
    String backend, String backendDevice, String softwareVersion, int[] freqIds, double[] freqMhz, long[] timeFpga,
    double[] timeCtime, long[][][][] vis, long[][] lostSamples, double[][][] tolerance)
{
    public static final Set<String> TIME_SOURCES = Set.of("GPS", "CONFIG", "NONE");
    public static final Set<String> BACKENDS = Set.of("cpu", "cuda");

    public VisibilityChunk
    {
        if (numInputs < 1 || numInputs > ProductIndex.MAX_INPUTS)
        {
            throw new IllegalArgumentException("ninput must be 1.." + ProductIndex.MAX_INPUTS + ": " + numInputs);
        }
        if (!TIME_SOURCES.contains(timeSource) || !BACKENDS.contains(backend))
        {
            throw new IllegalArgumentException("time_source must be one of " + TIME_SOURCES + " and backend one of " +
                BACKENDS + ": " + timeSource + ", " + backend);
        }
        if ("NONE".equals(timeSource) != (timeCtime == null))
        {
            throw new IllegalArgumentException("time_ctime is given exactly when there is a time reference");
        }
        final int ntime = timeFpga.length;
        final int nfreq = freqIds.length;
        final long nprod = ProductIndex.count(numInputs);
        if (ntime < 1 || nfreq < 1 || freqMhz.length != nfreq || timeCtime != null && timeCtime.length != ntime)
        {
            throw new IllegalArgumentException("need at least one time and frequency, and axes of equal length");
        }
        for (final int freqId : freqIds)
        {
            if (freqId < 0)
            {
                throw new IllegalArgumentException("freq_id must not be negative: " + freqId);
            }
        }
        requireShape(vis, ntime, nfreq, nprod, "vis");
        if (lostSamples.length != ntime)
        {
            throw new IllegalArgumentException("lost_samples must be [" + ntime + "][" + nfreq + "]");
        }
        for (final long[] row : lostSamples)
        {
            if (row.length != nfreq)
            {
                throw new IllegalArgumentException("lost_samples must be [" + ntime + "][" + nfreq + "]");
            }
        }
        if (tolerance != null && !hasShape(tolerance, ntime, nfreq, nprod))
        {
            throw new IllegalArgumentException("vis_tolerance must be [" + ntime + "][" + nfreq + "][" + nprod + "]");
        }
    }

    public int numTimes()
    {
        return timeFpga.length;
    }

    public int numFreqs()
    {
        return freqIds.length;
    }

    public int numProducts()
    {
        return (int)ProductIndex.count(numInputs);
    }

    private static boolean hasShape(final double[][][] values, final int ntime, final int nfreq, final long nprod)
    {
        if (values.length != ntime)
        {
            return false;
        }
        for (final double[][] time : values)
        {
            if (time.length != nfreq)
            {
                return false;
            }
            for (final double[] freq : time)
            {
                if (freq.length != nprod)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireShape(final long[][][][] vis, final int ntime, final int nfreq, final long nprod,
        final String name)
    {
        final String shape = name + " must be [" + ntime + "][" + nfreq + "][" + nprod + "][2]";
        if (vis.length != ntime)
        {
            throw new IllegalArgumentException(shape);
        }
        for (final long[][][] time : vis)
        {
            if (time.length != nfreq)
            {
                throw new IllegalArgumentException(shape);
            }
            for (final long[][] freq : time)
            {
                if (freq.length != nprod)
                {
                    throw new IllegalArgumentException(shape);
                }
                for (final long[] value : freq)
                {
                    if (value.length != 2)
                    {
                        throw new IllegalArgumentException(shape);
                    }
                }
            }
        }
    }
}
