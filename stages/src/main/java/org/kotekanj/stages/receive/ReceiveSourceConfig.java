package org.kotekanj.stages.receive;

import java.nio.file.Files;
import java.nio.file.Path;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.log.Log;

/**
 * The source half of a receive stage's config, read and validated at configuration time; the source itself (sockets,
 * rings, files) is opened on the stage's thread at start.
 *
 * <pre>
 *   source: recvmmsg          # recvmmsg (default) | nio | af_packet | pcap
 *   bind_address: 0.0.0.0
 *   ports: [10000, 10001]     # one UDP port per link; stream i is labelled with ports[i mod n]
 *   batch_size: 64            # datagrams per poll
 *   socket_buffer_bytes: 67108864
 *   pcap_file: capture.pcap   # source: pcap
 *   interface: lo             # source: af_packet (root only)
 *   ring_bytes: 67108864      # source: af_packet
 * </pre>
 */
public final class ReceiveSourceConfig
{
    /** Source kinds. */
    public enum Kind
    {
        RECVMMSG, NIO, AF_PACKET, PCAP
    }

    private final Kind kind;
    private final String bindAddress;
    private final int[] ports;
    private final int batchSize;
    private final int socketBufferBytes;
    private final int slotSize;
    private final Path pcapFile;
    private final String networkInterface;
    private final int ringBytes;

    private ReceiveSourceConfig(final Kind kind, final String bindAddress, final int[] ports, final int batchSize,
        final int socketBufferBytes, final int slotSize, final Path pcapFile, final String networkInterface,
        final int ringBytes)
    {
        this.kind = kind;
        this.bindAddress = bindAddress;
        this.ports = ports;
        this.batchSize = batchSize;
        this.socketBufferBytes = socketBufferBytes;
        this.slotSize = slotSize;
        this.pcapFile = pcapFile;
        this.networkInterface = networkInterface;
        this.ringBytes = ringBytes;
    }

    public static ReceiveSourceConfig read(final StageConfig config, final PacketGeometry geometry,
        final int numStreams)
    {
        final Kind kind = config.getEnum("source", Kind.class, Kind.RECVMMSG);
        final String bind = config.getString("bind_address", "0.0.0.0");
        final int[] ports = config.getIntArray("ports", new int[0]);
        final int batch = config.getInt("batch_size", 64);
        final int bufferBytes = (int)Math.min(Integer.MAX_VALUE, config.getLong("socket_buffer_bytes", 64L << 20));
        final String pcap = config.getString("pcap_file", null);
        final String iface = config.getString("interface", "lo");
        final long ring = config.getLong("ring_bytes", 64L << 20);
        if (ring < 16L << 20 || ring > 1L << 30)
        {
            config.error("ring_bytes", "must be 16 MiB..1 GiB, found " + ring);
        }
        if (batch < 1 || batch > 1024)
        {
            config.error("batch_size", "must be 1..1024, found " + batch);
        }
        if (kind == Kind.RECVMMSG && batch > 64)
        {
            config.error("batch_size", "recvmmsg batches hold at most 64 datagrams, found " + batch);
        }
        if (kind != Kind.PCAP)
        {
            if (ports.length == 0)
            {
                config.error("ports", "list the UDP ports to receive on (one per link)");
            }
            for (final int port : ports)
            {
                if (port < 1 || port > 65535)
                {
                    config.error("ports", "port " + port + " is not a UDP port (1..65535)");
                }
            }
            ReceivePorts.check(config, bind, ports);
        }
        if (kind == Kind.PCAP)
        {
            if (pcap == null)
            {
                config.error("pcap_file", "source: pcap needs the capture file to replay");
            }
            else if (!Files.isReadable(Path.of(pcap)))
            {
                config.error("pcap_file", "cannot read " + pcap);
            }
        }
        // One byte more than a well-formed datagram, so an oversized datagram is seen as one and rejected.
        final int slot = (geometry.datagramBytes() + 1 + 63) & ~63;
        return new ReceiveSourceConfig(kind, bind, ports, Math.max(1, batch),
            Math.max(0, bufferBytes), slot, pcap == null ? null : Path.of(pcap), iface,
            (int)Math.max(16L << 20, Math.min(ring, 1L << 30)));
    }

    /** Opens the source (binds sockets, maps rings, opens files). */
    public PacketSource open(final Log log)
    {
        return switch (kind)
        {
            case RECVMMSG -> new RecvmmsgSource(bindAddress, ports, batchSize, slotSize, socketBufferBytes, log);
            case NIO -> new NioSource(bindAddress, ports, batchSize, slotSize, socketBufferBytes, log);
            case AF_PACKET -> new AfPacketSource(networkInterface, bindAddress, ports, ringBytes, log);
            case PCAP -> new PcapSource(pcapFile, ports, batchSize, slotSize);
        };
    }

    public Kind kind()
    {
        return kind;
    }

    public int batchSize()
    {
        return batchSize;
    }

    /** Links: one per configured port (a pcap replay without ports is one link). */
    public int links()
    {
        return Math.max(1, ports.length);
    }

    public String linkLabel(final int link)
    {
        return ports.length == 0 ? "pcap" : Integer.toString(ports[link]);
    }

    /** The port label of each stream: stream i arrives on link i mod (number of links). */
    public String[] streamPortLabels(final int numStreams)
    {
        final String[] labels = new String[numStreams];
        for (int i = 0; i < numStreams; i++)
        {
            labels[i] = linkLabel(i % links());
        }
        return labels;
    }
}
