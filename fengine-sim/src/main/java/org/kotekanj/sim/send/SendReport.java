package org.kotekanj.sim.send;

import java.util.Locale;

import org.kotekanj.nativeio.SocketBufferSize;

/**
 * What a simulator run achieved: datagrams and bytes, the time it took, rates, how late paced batches went out
 * against their schedule, and what the sockets reported. The {@code sim} command prints it; the benchmark compares
 * it with fpeer.
 *
 * @param sampleBytes payload (sample) bytes of the datagrams sent, the measure fpeer reports as Gb/s.
 * @param requestedPerSecond datagrams per second the rate asked for over all links (0 for {@code max} and pcap).
 * @param meanLatenessNanos, maxLatenessNanos how late each paced batch's first datagram left (0 when not paced).
 * @param refused sends answered "connection refused" (nothing listening at a destination); those were retried.
 * @param retries sends that found the socket buffer full and were retried.
 */
public record SendReport(String mode, int links, long datagrams, long bytes, long sampleBytes, double seconds,
    double requestedPerSecond, long meanLatenessNanos, long maxLatenessNanos, long refused, long retries,
    SocketBufferSize sendBuffer)
{
    public double datagramsPerSecond()
    {
        return seconds > 0 ? datagrams / seconds : 0;
    }

    /** UDP payload bits per second, in Gb/s. */
    public double gigabitsPerSecond()
    {
        return seconds > 0 ? bytes * 8 / seconds / 1e9 : 0;
    }

    /** Sample payload bits per second (no headers or footers), in Gb/s: fpeer's measure. */
    public double sampleGigabitsPerSecond()
    {
        return seconds > 0 ? sampleBytes * 8 / seconds / 1e9 : 0;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
            "%s: %d datagrams (%d bytes) on %d links in %.3f s: %.0f datagrams/s, %.2f Gb/s (UDP payload), " +
                "%.2f Gb/s (samples)", mode, datagrams, bytes, links, seconds, datagramsPerSecond(),
            gigabitsPerSecond(), sampleGigabitsPerSecond()));
        if (requestedPerSecond > 0)
        {
            text.append(String.format(Locale.ROOT, "%n  requested %.0f datagrams/s (%.1f%% reached); timing error: " +
                    "mean %.1f us, max %.1f us late", requestedPerSecond,
                100 * datagramsPerSecond() / requestedPerSecond, meanLatenessNanos / 1e3, maxLatenessNanos / 1e3));
        }
        if (refused > 0)
        {
            text.append("\n  ").append(refused).append(" sends refused (nothing listening at a destination?)");
        }
        if (retries > 0)
        {
            text.append("\n  ").append(retries).append(" sends retried (socket buffer full)");
        }
        if (sendBuffer != null)
        {
            text.append("\n  send buffer: ").append(sendBuffer);
        }
        return text.toString();
    }
}
