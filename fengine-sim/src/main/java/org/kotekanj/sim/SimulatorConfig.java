package org.kotekanj.sim;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.sim.packets.GeneratorSettings;
import org.kotekanj.sim.send.Destinations;
import org.kotekanj.sim.send.LinkSocket;
import org.kotekanj.sim.send.SendRate;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.Signals;
import org.kotekanj.sim.trigger.FrbTriggerConfig;

/**
 * Everything a simulator run needs, read and checked once from a config node: the same keys for the
 * {@code FengineSimulator} stage and the {@code sim} command (whose flags are written into a node). Every bad value
 * is recorded as a config error naming it, and a run with errors sends nothing.
 *
 * <pre>
 * profile: chime                  # + any geometry key (samples_per_packet, footer_bytes, ...)
 * slot: 3, link: 1, crate_parity: 0   # the node's streams (StreamTable.read; per profile)
 * signal: {type: tpluse}          # Signals.read
 * destinations: [127.0.0.1:10000-10003]   # one for all streams, or one per stream (loopback unless allow_remote)
 * allow_remote: false
 * rate: realtime                  # realtime | xK | max
 * count: 100000                   # time steps per stream (packets per link before impairments); or
 * duration_s: 10                  # seconds: that many seconds' worth of steps at the rate (pcap: real time);
 *                                 # max: sends for that long; neither count nor duration: until stopped
 * transport: sendmmsg             # sendmmsg | nio
 * gso: true                       # sendmmsg: send runs of equal datagrams as UDP GSO messages (same datagrams)
 * batch: 64                       # datagrams per send call, 1..64
 * batch_delay_us: 100             # paced: send a partial batch once its first packet is this late
 * send_buffer_bytes: 16777216     # SO_SNDBUF(FORCE) request per link socket
 * max_packets_per_second: 1e7     # a paced rate needing more than this in total is refused
 * pcap: out.pcap                  # write a pcap file instead of sending
 * ground_truth: truth.jsonl       # the ground-truth log (JSON lines)
 * seed / start_seq / start_skew_packets / max_start_skew_packets / footer_flags / impairments: GeneratorSettings
 * frb_trigger: {url: http://127.0.0.1:12048, event_id: 42}   # FrbTriggerConfig; only with signal type frb
 * </pre>
 *
 * @param frbTrigger the trigger to post about the frb signal's burst, or {@code null} for none.
 */
public record SimulatorConfig(PacketGeometry geometry, StreamTable table, SampleSignal signal, String signalType,
    GeneratorSettings settings, List<InetSocketAddress> destinations, SendRate rate, long count, double durationSeconds,
    LinkSocket.Transport transport, boolean gso, int batch, long batchDelayNanos, int sendBufferBytes, Path pcap,
    Path groundTruth, FrbTriggerConfig frbTrigger)
{
    public static final double DEFAULT_MAX_PACKETS_PER_SECOND = 1e7;

    /** Reads and checks every key; problems go to the config's errors (check {@code errors().isEmpty()}). */
    public static SimulatorConfig read(final StageConfig config)
    {
        final SimulatedNode node = SimulatedNode.read(config);
        final PacketGeometry geometry = node.geometry();
        final StreamTable table = node.streams();
        final SampleSignal signal = node.signal();
        final StageConfig signalBlock = config.child("signal");
        final String signalType = signalBlock == null ? "tpluse" : signalBlock.getString("type", "tpluse");
        final GeneratorSettings settings = GeneratorSettings.read(config, geometry, table);
        final Path pcap = path(config, "pcap");
        final Path groundTruth = path(config, "ground_truth");
        final int streams = table.streams().size();

        final boolean allowRemote = config.getBoolean("allow_remote", false);
        final List<String> entries = config.getStringList("destinations");
        List<InetSocketAddress> destinations = List.of();
        try
        {
            destinations = Destinations.parse(entries.isEmpty() && pcap != null ?
                List.of("127.0.0.1:10000-" + (10000 + streams - 1)) : entries, streams, allowRemote);
        }
        catch (final IllegalArgumentException e)
        {
            config.error("destinations", e.getMessage());
        }

        SendRate rate = SendRate.MAX;
        try
        {
            rate = SendRate.parse(config.getString("rate", "realtime"));
        }
        catch (final IllegalArgumentException e)
        {
            config.error("rate", e.getMessage());
        }
        final double maxPps = config.getDouble("max_packets_per_second", DEFAULT_MAX_PACKETS_PER_SECOND);
        final double period = rate.stepPeriodNanos(geometry.samplePeriodNs(), geometry.samplesPerPacket());
        if (!rate.isMax() && pcap == null)
        {
            final double pps = streams * 1e9 / period;
            if (period < 1 || pps > maxPps)
            {
                config.error("rate", String.format("rate %s needs %.0f packets/s over %d streams (one every %.3f ns " +
                    "per stream), more than max_packets_per_second %.0f: this sender cannot reach it; use a lower " +
                    "rate or max", rate, pps, streams, period, maxPps));
            }
        }

        final long count = config.getLong("count", 0);
        final double duration = config.getDouble("duration_s", 0);
        if (count < 0)
        {
            config.error("count", "must be positive (time steps per stream), found " + count);
        }
        if (!(duration >= 0) || Double.isInfinite(duration))
        {
            config.error("duration_s", "must be a positive number of seconds, found " + duration);
        }
        if (count > 0 && duration > 0)
        {
            config.error("count", "set count or duration_s, not both");
        }
        if (pcap != null && count == 0 && duration == 0)
        {
            config.error("pcap", "writing " + pcap + " needs an end: set count or duration_s");
        }

        final LinkSocket.Transport transport = config.getEnum("transport", LinkSocket.Transport.class,
            LinkSocket.Transport.SENDMMSG);
        final boolean gso = config.getBoolean("gso", true);
        final int batch = config.getInt("batch", MmsgBatch.MAX_MESSAGES);
        if (batch < 1 || batch > MmsgBatch.MAX_MESSAGES)
        {
            config.error("batch", "must be 1.." + MmsgBatch.MAX_MESSAGES + " datagrams per call, found " + batch);
        }
        final double delayUs = config.getDouble("batch_delay_us", 100);
        if (!(delayUs >= 0))
        {
            config.error("batch_delay_us", "must not be negative, found " + delayUs);
        }
        final long sendBuffer = config.getLong("send_buffer_bytes", 16L << 20);
        if (sendBuffer < 1 || sendBuffer > Integer.MAX_VALUE)
        {
            config.error("send_buffer_bytes", "must be 1..2^31-1, found " + sendBuffer);
        }
        final FrbTriggerConfig frbTrigger = FrbTriggerConfig.read(config, signal, allowRemote);
        final SimulatorConfig result = new SimulatorConfig(geometry, table, signal, signalType, settings,
            destinations, rate, count, duration, transport, gso, Math.max(1, Math.min(batch, MmsgBatch.MAX_MESSAGES)),
            (long)(delayUs * 1000), (int)Math.max(1, Math.min(sendBuffer, Integer.MAX_VALUE)), pcap, groundTruth,
            frbTrigger);
        final long endSeq = result.endSeq();
        if (frbTrigger != null && frbTrigger.t0Seq() >= endSeq)
        {
            config.child(FrbTriggerConfig.KEY).error("the burst's t0_seq " + frbTrigger.t0Seq() + " is never sent: " +
                "the run ends before seq " + endSeq + "; move t0_seq or lengthen the run");
        }
        return result;
    }

    private static Path path(final StageConfig config, final String key)
    {
        final String value = config.getString(key, "");
        return value.isBlank() ? null : Path.of(value);
    }

    /**
     * Time steps per stream: {@code count}; or {@code duration_s} worth of steps at the configured rate (for pcap:
     * at real time), so a paced run that stalls catches up instead of sending less; else unbounded ({@code max}
     * with a duration stops on the clock, see {@link #maxRateNanos()}).
     */
    public long steps()
    {
        if (count > 0)
        {
            return count;
        }
        if (durationSeconds > 0 && (pcap != null || !rate.isMax()))
        {
            final double period = pcap != null ? (double)geometry.samplePeriodNs() * geometry.samplesPerPacket() :
                stepPeriodNanos();
            return (long)Math.ceil(durationSeconds * 1e9 / period);
        }
        return Long.MAX_VALUE;
    }

    /**
     * The seq after the last sample of a run without seq impairments ({@code start_seq + steps x S}), or
     * {@link Long#MAX_VALUE} for a run without an end.
     */
    private long endSeq()
    {
        final long steps = steps();
        final long samples = geometry.samplesPerPacket();
        return steps == Long.MAX_VALUE || steps > (Long.MAX_VALUE - settings.startSeq()) / Math.max(1, samples) ?
            Long.MAX_VALUE : settings.startSeq() + steps * samples;
    }

    /** How long a {@code max}-rate run with a duration sends, in nanoseconds; {@link Long#MAX_VALUE} otherwise. */
    public long maxRateNanos()
    {
        return rate.isMax() && pcap == null && durationSeconds > 0 ? (long)(durationSeconds * 1e9) : Long.MAX_VALUE;
    }

    /** Nanoseconds between a stream's packets at the configured rate (0 for {@code max}). */
    public double stepPeriodNanos()
    {
        return rate.stepPeriodNanos(geometry.samplePeriodNs(), geometry.samplesPerPacket());
    }
}
