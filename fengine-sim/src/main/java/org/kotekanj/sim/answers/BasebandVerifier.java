package org.kotekanj.sim.answers;

import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * Compares a baseband dump byte for byte with the signal. A row flagged present ({@code sample_present} 1: every
 * input captured) must hold the signal exactly. A row not flagged present may hold, per byte, the signal (the inputs
 * that were captured), {@code 0x88} (lost samples, as the dump contract stores them) or {@code 0x00} (never
 * captured); the file does not say which input is which, so 0x88 bytes are counted and noted, not failed.
 */
public final class BasebandVerifier
{
    private BasebandVerifier()
    {
    }

    public static Verification verify(final BasebandWindow dump, final SampleSignal signal, final int maxReports)
    {
        final Verification result = new Verification("baseband", maxReports);
        final BasebandWindow expected = BasebandWindow.expected(signal, dump.freqId(), dump.firstSeq(),
            dump.numTimes(), dump.numInputs());
        long filled = 0;
        for (int t = 0; t < dump.numTimes(); t++)
        {
            final byte[] found = dump.samples()[t];
            final byte[] wanted = expected.samples()[t];
            for (int i = 0; i < found.length; i++)
            {
                final byte want = wanted[i];
                if (found[i] == want || !dump.present()[t] && found[i] == 0)
                {
                    continue;
                }
                if (!dump.present()[t] && found[i] == SampleByte.ZERO)
                {
                    filled++;
                    continue;
                }
                final int time = t;
                final int input = i;
                result.different(() -> String.format("freq_id %d, input %d, time_fpga %d%s: expected 0x%02x, found " +
                    "0x%02x", dump.freqId(), input, dump.firstSeq() + time, dump.present()[time] ? "" :
                    " (not captured)", want & 0xFF, found[input] & 0xFF));
            }
            result.checked(found.length);
        }
        if (filled > 0)
        {
            result.note(filled + " bytes are 0x88 where the signal is not: lost samples as the dump stores them");
        }
        return result;
    }
}
