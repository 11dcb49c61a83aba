package org.kotekanj.sim.answers;

import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.service.Version;

/**
 * Expected answers in the visibility file format, so they can be diffed against correlator output with the same
 * tools ({@code h5diff}, h5py): {@code vis} holds the expected sums (the mean, rounded, for statistical signals,
 * with {@code vis_tolerance} beside it), {@code lost_samples} is zero, the backend is {@code cpu} with device
 * {@code expected answers}, and there is no time reference.
 */
public final class ExpectedVisibilityFile
{
    public static final String DEVICE = "expected answers";

    private ExpectedVisibilityFile()
    {
    }

    public static VisibilityChunk chunk(final VisibilityCalculator calculator, final PacketGeometry geometry,
        final int[] freqIds, final long firstSeq, final int integrations, final long samplesPerIntegration)
    {
        final int nfreq = freqIds.length;
        final double[] freqMhz = new double[nfreq];
        for (int f = 0; f < nfreq; f++)
        {
            freqMhz[f] = geometry.freqMhz(freqIds[f]);
        }
        final long[] timeFpga = new long[integrations];
        final long[][][][] vis = new long[integrations][nfreq][][];
        final double[][][] tolerance = new double[integrations][nfreq][];
        boolean exact = true;
        for (int t = 0; t < integrations; t++)
        {
            timeFpga[t] = firstSeq + t * samplesPerIntegration;
            for (int f = 0; f < nfreq; f++)
            {
                final ExpectedVisibility expected = calculator.expected(freqIds[f], timeFpga[t], samplesPerIntegration);
                final long[][] values = new long[expected.real().length][];
                for (int p = 0; p < values.length; p++)
                {
                    values[p] = new long[] {expected.real()[p], expected.imag()[p]};
                }
                vis[t][f] = values;
                tolerance[t][f] = expected.isExact() ? new double[values.length] : expected.tolerance();
                exact &= expected.isExact();
            }
        }
        return new VisibilityChunk(calculator.numInputs(), samplesPerIntegration,
            samplesPerIntegration * geometry.samplePeriodNs() * 1e-9, "NONE", "cpu", DEVICE, Version.softwareVersion(),
            freqIds.clone(), freqMhz, timeFpga, null, vis, new long[integrations][nfreq], exact ? null : tolerance);
    }
}
