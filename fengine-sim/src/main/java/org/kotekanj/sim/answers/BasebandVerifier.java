package org.kotekanj.sim.answers;

import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * Compares a baseband dump byte for byte with the signal. A captured row must hold the signal, except that whole
 * bytes of {@code 0x88} are lost samples as the dump contract stores them (the file does not flag which, so they are
 * counted and noted, not failed); a row never captured must be {@code 0x00}.
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
                final byte want = dump.present()[t] ? wanted[i] : 0;
                if (found[i] == want)
                {
                    continue;
                }
                if (dump.present()[t] && found[i] == SampleByte.ZERO)
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
