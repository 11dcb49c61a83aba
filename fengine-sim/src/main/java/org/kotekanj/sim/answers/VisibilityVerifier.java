package org.kotekanj.sim.answers;

import org.kotekanj.correlator.ProductIndex;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.fengine.PacketGeometry;

/**
 * Compares a visibility file with the expected visibilities of its own axes (frequencies, integration starts and
 * lengths, inputs), so any file the correlator writes can be checked against the simulator's signal. Integrations
 * with lost samples are skipped: which samples were zero-filled is not in the file, so no exact answer exists.
 */
public final class VisibilityVerifier
{
    private VisibilityVerifier()
    {
    }

    public static Verification verify(final VisibilityChunk file, final VisibilityCalculator calculator,
        final PacketGeometry geometry, final int maxReports)
    {
        final Verification result = new Verification("visibilities", maxReports);
        if (file.numInputs() != calculator.numInputs())
        {
            throw new IllegalArgumentException("the file has " + file.numInputs() + " inputs, the calculator " +
                calculator.numInputs());
        }
        for (int f = 0; f < file.numFreqs(); f++)
        {
            final int freqId = file.freqIds()[f];
            final double mhz = geometry.freqMhz(freqId);
            if (Math.abs(file.freqMhz()[f] - mhz) > 1e-6)
            {
                final int index = f;
                result.different(() -> "freq_id " + freqId + ": freq_mhz is " + file.freqMhz()[index] +
                    ", the config's frequency is " + mhz);
            }
        }
        for (int t = 0; t < file.numTimes(); t++)
        {
            for (int f = 0; f < file.numFreqs(); f++)
            {
                if (file.lostSamples()[t][f] != 0)
                {
                    result.skipped(file.numProducts());
                    continue;
                }
                compare(file, t, f, calculator.expected(file.freqIds()[f], file.timeFpga()[t],
                    file.samplesPerIntegration()), result);
            }
        }
        if (result.skippedCount() > 0)
        {
            result.note("integrations with lost samples were skipped: the file does not say which samples were lost");
        }
        return result;
    }

    private static void compare(final VisibilityChunk file, final int t, final int f,
        final ExpectedVisibility expected, final Verification result)
    {
        final long[][] values = file.vis()[t][f];
        for (int p = 0; p < values.length; p++)
        {
            final long re = values[p][0];
            final long im = values[p][1];
            if (!expected.accepts(p, re, im))
            {
                final int prod = p;
                result.different(() -> describe(file, t, f, prod, expected, re, im));
            }
        }
        result.checked(values.length);
    }

    private static String describe(final VisibilityChunk file, final int t, final int f, final int prod,
        final ExpectedVisibility expected, final long re, final long im)
    {
        final int[] inputs = ProductIndex.inputs(prod, file.numInputs());
        final String tolerance = expected.isExact() ? "" : " ± " + Math.round(expected.tolerance()[prod]);
        return "freq_id " + file.freqIds()[f] + ", product " + prod + " (" + inputs[0] + ", " + inputs[1] +
            "), time_fpga " + file.timeFpga()[t] + ": expected " + complex(expected.real()[prod],
            expected.imag()[prod]) + tolerance + ", found " + complex(re, im);
    }

    private static String complex(final long re, final long im)
    {
        return re + (im < 0 ? " - " : " + ") + Math.abs(im) + "j";
    }
}
