package org.kotekanj.sim.send;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.kotekanj.nativeio.Libc;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.UdpSocket;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.packets.GroundTruth;
import org.kotekanj.sim.packets.PacketGenerator;

/**
 * Sends every stream to its destination over its own connected UDP socket, paced: each link's packets are due at
 * {@code step x S x sample_period / speedup} after the start ({@code max}: always due). A link sends when a whole
 * batch is due, or when the first due packet has waited {@code batch_delay_us}, so real-time runs still move
 * several datagrams per system call; how late each batch left is the reported timing error. One batch is reused
 * for every link: fill, send, next link.
 */
final class NetworkSender extends GeneratedRun
{
    private final LinkSocket[] links;
    private final List<InetSocketAddress> destinations;
    private final String rate;
    private final double periodNanos;
    private final long batchSteps;
    private final long batchDelayNanos;
    private final long durationNanos;
    private final int sampleBytes;
    private long startNanos;
    private long lastNanos;
    private boolean started;
    private long datagrams;
    private long bytes;
    private long refused;
    private long retries;
    private long latenessSum;
    private long latenessMax;
    private long batches;

    private NetworkSender(final SimulatorConfig config, final PacketGenerator generator, final GroundTruth truth,
        final MmsgBatch batch, final LinkSocket[] links)
    {
        super(generator, truth, batch);
        this.links = links;
        this.destinations = config.destinations();
        this.rate = config.rate().text();
        this.periodNanos = config.stepPeriodNanos();
        this.batchSteps = Math.max(1, batch.capacity() / generator.maxDatagramsPerStep());
        this.batchDelayNanos = config.batchDelayNanos();
        this.durationNanos = config.maxRateNanos();
        this.sampleBytes = config.geometry().payloadBytes();
    }

    static NetworkSender open(final SimulatorConfig config, final PacketGenerator generator, final GroundTruth truth,
        final MmsgBatch batch) throws IOException
    {
        final LinkSocket[] links = new LinkSocket[config.destinations().size()];
        try
        {
            for (int i = 0; i < links.length; i++)
            {
                links[i] = LinkSocket.open(config.transport(), config.destinations().get(i),
                    config.sendBufferBytes(), config.gso());
            }
        }
        catch (final IOException | RuntimeException e)
        {
            for (final LinkSocket link : links)
            {
                if (link != null)
                {
                    link.close();
                }
            }
            throw e;
        }
        return new NetworkSender(config, generator, truth, batch, links);
    }

    @Override
    public int doWork()
    {
        final long now = System.nanoTime();
        if (!started)
        {
            started = true;
            startNanos = now;
        }
        final long elapsed = now - startNanos;
        if (stopRequested() || elapsed >= durationNanos)
        {
            generator.stop();
        }
        final long due = periodNanos > 0 ? (long)(elapsed / periodNanos) + 1 : Long.MAX_VALUE;
        int work = 0;
        for (int link = 0; link < links.length; link++)
        {
            if (generator.isDone(link))
            {
                continue;
            }
            final long step = generator.step(link);
            final boolean paced = periodNanos > 0 && !generator.isFlushing(link);
            if (paced && (step >= due ||
                due - step < batchSteps && elapsed - (long)(step * periodNanos) < batchDelayNanos))
            {
                continue;
            }
            final int n = generator.fill(link, batch, 0, due);
            if (n > 0)
            {
                if (paced)
                {
                    final long late = Math.max(0, elapsed - (long)(step * periodNanos));
                    latenessSum += late;
                    latenessMax = Math.max(latenessMax, late);
                    batches++;
                }
                sendAll(link, n);
                work += n;
            }
        }
        if (work > 0)
        {
            lastNanos = System.nanoTime();
        }
        return work;
    }

    private void sendAll(final int link, final int count)
    {
        int sent = 0;
        while (sent < count)
        {
            final int result = links[link].send(batch, sent, count - sent);
            if (result > 0)
            {
                sent += result;
            }
            else if (result == -UdpSocket.ECONNREFUSED)
            {
                refused++;
            }
            else if (result == -UdpSocket.EAGAIN || result == -UdpSocket.EINTR || result == 0)
            {
                retries++;
                Thread.onSpinWait();
            }
            else
            {
                throw new IllegalStateException("sending to " + UdpSocket.format(destinations.get(link)) +
                    " failed: " + Libc.strerror(-result));
            }
        }
        for (int i = 0; i < count; i++)
        {
            bytes += batch.length(i);
        }
        datagrams += count;
    }

    @Override
    public long datagrams()
    {
        return datagrams;
    }

    @Override
    public long bytes()
    {
        return bytes;
    }

    @Override
    public SendReport report()
    {
        final double seconds = started ? (Math.max(lastNanos, startNanos) - startNanos) / 1e9 : 0;
        return new SendReport("sent " + links[0].describe() + " at " + rate, links.length, datagrams, bytes,
            datagrams * sampleBytes, seconds, periodNanos > 0 ? links.length * 1e9 / periodNanos : 0,
            batches > 0 ? latenessSum / batches : 0, latenessMax, refused, retries, links[0].sendBuffer());
    }

    @Override
    protected void closeOutputs() throws IOException
    {
        for (final LinkSocket link : links)
        {
            link.close();
        }
    }
}
