package org.kotekanj.sim.send;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.kotekanj.fengine.pcap.PcapWriter;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.packets.GroundTruth;
import org.kotekanj.sim.packets.PacketGenerator;

/**
 * Writes a run to a pcap file instead of the network: every stream, step by step in time order, each datagram
 * framed as UDP to its stream's destination (the UDP destination port is the link's), from port
 * {@value #SOURCE_PORT_BASE} + stream index. Timestamps are the F-engine's own time, {@code seq x sample_period},
 * so a replay can pace itself from the file and the file is the same for the same config.
 */
final class PcapRecorder extends GeneratedRun
{
    static final int SOURCE_PORT_BASE = 40000;
    private static final int STEPS_PER_CALL = 64;

    private final PcapWriter writer;
    private final int[] addresses;
    private final int[] ports;
    private final long startSeq;
    private final int samples;
    private final long samplePeriodNs;
    private final int sampleBytes;
    private final String mode;
    private long step;
    private long datagrams;
    private long startNanos;
    private long lastNanos;

    private PcapRecorder(final SimulatorConfig config, final PacketGenerator generator, final GroundTruth truth,
        final MmsgBatch batch, final PcapWriter writer)
    {
        super(generator, truth, batch);
        this.writer = writer;
        this.addresses = new int[config.destinations().size()];
        this.ports = new int[addresses.length];
        for (int i = 0; i < addresses.length; i++)
        {
            final InetSocketAddress destination = config.destinations().get(i);
            final byte[] ip = destination.getAddress().getAddress();
            addresses[i] = (ip[0] & 0xFF) << 24 | (ip[1] & 0xFF) << 16 | (ip[2] & 0xFF) << 8 | ip[3] & 0xFF;
            ports[i] = destination.getPort();
        }
        this.startSeq = config.settings().startSeq();
        this.samples = config.geometry().samplesPerPacket();
        this.samplePeriodNs = config.geometry().samplePeriodNs();
        this.sampleBytes = config.geometry().payloadBytes();
        this.mode = "wrote " + config.pcap();
    }

    static PcapRecorder open(final SimulatorConfig config, final PacketGenerator generator, final GroundTruth truth,
        final MmsgBatch batch) throws IOException
    {
        return new PcapRecorder(config, generator, truth, batch, PcapWriter.create(config.pcap()));
    }

    @Override
    public int doWork() throws IOException
    {
        if (startNanos == 0)
        {
            startNanos = System.nanoTime();
        }
        if (stopRequested())
        {
            generator.stop();
        }
        int work = 0;
        for (int i = 0; i < STEPS_PER_CALL && !generator.isDone(); i++)
        {
            final long timestamp = (startSeq + step * samples) * samplePeriodNs;
            for (int stream = 0; stream < addresses.length; stream++)
            {
                final int n = generator.fill(stream, batch, 0, step + 1);
                for (int d = 0; d < n; d++)
                {
                    writer.write(timestamp, batch.buffer(), batch.slotOffset(d), batch.length(d), addresses[stream],
                        SOURCE_PORT_BASE + stream, addresses[stream], ports[stream]);
                }
                work += n;
            }
            step++;
        }
        datagrams += work;
        lastNanos = System.nanoTime();
        return work;
    }

    @Override
    public long datagrams()
    {
        return datagrams;
    }

    @Override
    public long bytes()
    {
        return writer.payloadBytes();
    }

    @Override
    public SendReport report()
    {
        return new SendReport(mode, addresses.length, datagrams, writer.payloadBytes(), datagrams * sampleBytes,
            (lastNanos - startNanos) / 1e9, 0, 0, 0, 0, 0, null);
    }

    @Override
    protected void closeOutputs() throws IOException
    {
        writer.close();
    }
}
