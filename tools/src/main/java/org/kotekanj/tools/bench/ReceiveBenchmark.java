package org.kotekanj.tools.bench;

import java.lang.foreign.MemorySegment;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Locale;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.receive.FengineReceiver;
import org.kotekanj.status.MetricsRegistry;

/**
 * Runs the receive stage alone against traffic from another process (fpeer, or our simulator) for a bounded time and
 * prints what it measured: packets, payload rate from first to last packet, lost samples, too-old, kernel drops, the
 * receive core's idle fraction and the GC cycles during the run (0 = no allocation in steady state).
 *
 * <pre>
 * ReceiveBenchmark SOURCE PORT LINKS SECONDS [DELAY_SECONDS]
 *   SOURCE  recvmmsg | nio | af_packet
 *   traffic: the chime geometry (S=2, F_p=4, N_p=512, 774-byte footer) with stream_id = link index, as
 *            `fpeer send PORT 2 4 512 774 LINKS SECONDS` sends it; frames of 4 freqs x 16384 samples x 2048 inputs
 *   DELAY   start receiving only after this long (the socket queues fill first): measures the drain rate
 * </pre>
 */
public final class ReceiveBenchmark
{
    /**
     * Fresh pipelines run before the measured one. One is not enough: a new pipeline's first packets take branches
     * (a stream's first packet, the first batch) that the previous one took only before its code was compiled, and
     * the compiled code then traps and is recompiled during the measured drain (seen with -XX:+PrintCompilation and
     * -Xlog:deoptimization: StreamTracker.follow, FrameWindow.entryFor, FengineReceiver.doWork made not entrant
     * at the drain's first packet, and C2 busy for most of the 150 ms drain on the 2 cores). A long-running
     * receiver has long recompiled these; by the third pipeline nothing is recompiled.
     */
    private static final int WARM_UP_ROUNDS = 3;
    private static final long WARM_UP_PACKETS = 150_000;
    /** Datagrams the warm-up sender writes to one link in a row: a recvmmsg batch, as fpeer sends them. */
    private static final int WARM_UP_BURST = 64;

    private ReceiveBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 4)
        {
            System.err.println("usage: ReceiveBenchmark recvmmsg|nio|af_packet PORT LINKS SECONDS [DELAY_SECONDS]");
            System.exit(2);
        }
        final String source = args[0];
        final int port = Integer.parseInt(args[1]);
        final int links = Integer.parseInt(args[2]);
        final double seconds = Double.parseDouble(args[3]);
        final double delay = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        final StringBuilder streams = new StringBuilder();
        final StringBuilder ports = new StringBuilder();
        for (int link = 0; link < links; link++)
        {
            streams.append("    - {stream_id: ").append(link).append(", freq_base: 0, input_block: ").append(link)
                .append("}\n");
            ports.append(link == 0 ? "" : ", ").append(port + link);
        }
        // The warm-up runs the measured stage keys (only the ports and the start delay differ), so that the same
        // code paths are compiled with the same loop bounds.
        final String stageKeys = """
              source: %s
              bind_address: 127.0.0.1
              socket_buffer_bytes: 268435456
              ring_bytes: 1073741824
              window_frames: 2
            """.formatted(source);
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            warmUp(port, links, streams.toString(), stageKeys);
        }
        // The warm-up pipelines' garbage (config parsing, their buffers' wrappers: ~270 MB) would otherwise fill the
        // young generation during the measured run and count as a steady-state collection that it did not cause.
        System.gc();
        final String yaml = pipelineYaml(links, ports.toString(), streams.toString(),
            stageKeys + "  start_delay_seconds: " + delay + "\n");
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(yaml, "receive-benchmark", errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        errors.throwIfAny();
        pipeline.start(metrics, new EndpointRegistry());
        final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/recv");
        Thread.sleep(1000);
        final long gcBefore = gcCount();
        pipeline.awaitStages(Duration.ofMillis((long)(seconds * 1000)));
        final long gcDuring = gcCount() - gcBefore;
        final String prometheusBeforeStop = metrics.prometheus();
        pipeline.stop();
        final ReceiveCounters counters = receiver.counters();
        final long packets = counters.sum(ReceiveCounters.PACKETS);
        final double span = Math.max(1e-9, (receiver.lastPacketNanos() - receiver.firstPacketNanos()) / 1e9);
        long drops = 0;
        for (final String line : prometheusBeforeStop.split("\n"))
        {
            if (line.startsWith("kotekan_rx_socket_drops_total"))
            {
                drops += (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        System.out.printf(Locale.ROOT, "kotekan-j recv source=%s pkts=%d rate=%.0f kpps %.2f Gb/s (payload, first to " +
            "last packet) lost_samples=%d too_old=%d duplicates=%d malformed=%d socket_drops=%d idle=%.3f " +
            "gc_cycles_in_steady_state=%d%n",
            source, packets, packets / span / 1e3, packets * 4096.0 * 8 / span / 1e9,
            counters.sum(ReceiveCounters.LOST_SAMPLES), counters.sum(ReceiveCounters.TOO_OLD),
            counters.sum(ReceiveCounters.DUPLICATES),
            counters.sum(ReceiveCounters.MALFORMED_LENGTH) + counters.sum(ReceiveCounters.MALFORMED_FLAGS) +
                counters.sum(ReceiveCounters.MALFORMED_UNKNOWN_STREAM) +
                counters.sum(ReceiveCounters.MALFORMED_OUT_OF_RANGE),
            drops, receiver.idleFraction(), gcDuring);
        System.exit(0);
    }

    /**
     * Runs the same pipeline with the same source first, on other ports, fed by a sender thread in this process, so
     * that everything the measured run executes (the stage loop with this source, placement, copies) is compiled
     * with the same types before it starts, as in a long-running receiver (a C reference needs no warm-up). A
     * warm-up through another source would leave the stage's compiled loop speculating on that source's type, and
     * the measured run would pay for a recompilation on its 2 cores.
     */
    private static void warmUp(final int port, final int links, final String streams, final String stageKeys)
        throws Exception
    {
        final int warmPort = port + 100;
        final StringBuilder ports = new StringBuilder();
        for (int link = 0; link < links; link++)
        {
            ports.append(link == 0 ? "" : ", ").append(warmPort + link);
        }
        final String yaml = pipelineYaml(links, ports.toString(), streams, stageKeys + "  log_level: warn\n");
        final ConfigErrors errors = new ConfigErrors();
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(YamlConfigLoader.parse(yaml, "warm-up", errors),
            StageRegistry.discover(), metrics, errors);
        errors.throwIfAny();
        pipeline.start(metrics, new EndpointRegistry());
        final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/recv");
        final DatagramChannel[] senders = new DatagramChannel[links];
        final ByteBuffer datagram = ByteBuffer.allocateDirect(4886);
        final MemorySegment header = MemorySegment.ofBuffer(datagram);
        try
        {
            for (int link = 0; link < links; link++)
            {
                senders[link] = DatagramChannel.open();
                senders[link].connect(new InetSocketAddress("127.0.0.1", warmPort + link));
            }
            final long end = System.nanoTime() + 3_000_000_000L;
            long seq = 0;
            while (System.nanoTime() < end && receiver.counters().sum(ReceiveCounters.PACKETS) < WARM_UP_PACKETS)
            {
                for (int link = 0; link < links; link++)
                {
                    for (int burst = 0; burst < WARM_UP_BURST; burst++)
                    {
                        PacketHeaderDescriptor.write(header, 0, link, seq + 2L * burst);
                        datagram.clear();
                        senders[link].write(datagram);
                    }
                }
                seq += 2L * WARM_UP_BURST;
                Thread.onSpinWait();
            }
        }
        finally
        {
            for (final DatagramChannel sender : senders)
            {
                if (sender != null)
                {
                    sender.close();
                }
            }
            pipeline.stop();
        }
    }

    /** The benchmark pipeline: fpeer's traffic (chime sizes, stream_id = link) into frames that a sink releases. */
    private static String pipelineYaml(final int links, final String ports, final String streams,
        final String sourceKeys)
    {
        return """
            frames:
              kotekan_buffer: standard
              num_frames: 8
              frame_size: 4 * 16384 * %d * 512
            recv:
              kotekan_stage: FengineReceiver
              out_buf: frames
              ports: [%s]
              profile: generic
              samples_per_packet: 2
              freqs_per_packet: 4
              inputs_per_packet: 512
              footer_bytes: 774
              flag_word: false
              samples_per_frame: 16384
            %s  streams:
            %s
            sink:
              kotekan_stage: FrameSink
              in_buf: frames
            """.formatted(links, ports, sourceKeys.stripTrailing().indent(0), streams);
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, bean.getCollectionCount());
        }
        return count;
    }
}
