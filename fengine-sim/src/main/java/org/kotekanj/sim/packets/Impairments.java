package org.kotekanj.sim.packets;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;

/**
 * What the simulator does wrong on purpose, read from the {@code impairments:} block. Every impairment has a
 * {@code rate}: the probability, per stream and per time step, that it happens (0, the default, turns it off).
 * Which steps are hit is fixed by the simulator's {@code seed}, separately for each impairment and stream.
 *
 * <pre>
 * impairments:
 *   loss:           {rate: 0.001}                                 # one packet not sent
 *   burst_loss:     {rate: 1e-4, min_packets: 2, max_packets: 50} # a run of packets not sent (length uniform)
 *   outage:         {rate: 1e-5, packets: 1000}                   # the link silent for that many steps
 *   reorder:        {rate: 0.001, window: 8}                      # sent after 1..window later packets (max 32)
 *   duplicate:      {rate: 0.001}                                 # sent twice in a row
 *   truncated:      {rate: 0.001, length: 100}                    # datagram cut to length bytes (default: half)
 *   oversized:      {rate: 0.001, extra_bytes: 64}                # datagram longer by extra_bytes (zeros)
 *   unknown_stream: {rate: 0.001, stream_id: 0xF000}              # header carries a stream_id no link has
 *   error_flags:    {rate: 0.001, flags: 0x100}                   # flag word set (needs flag_word: true)
 *   seq_jump:       {rate: 1e-4, samples: 64}                     # seq skips forward (default 32 packets)
 *   seq_back:       {rate: 1e-4, samples: 8}                      # seq steps back a little (default 4 packets)
 *   reset:          {rate: 1e-6, to_seq: 0}                       # F-engine reset: seq restarts at to_seq
 * </pre>
 *
 * The unaligned start and per-link start skew are set outside this block ({@code start_seq},
 * {@code start_skew_packets}, {@code max_start_skew_packets}), since they shape every run, not a few packets.
 */
public record Impairments(
    double lossRate,
    double burstRate, int burstMinPackets, int burstMaxPackets,
    double outageRate, long outagePackets,
    double reorderRate, int reorderWindow,
    double duplicateRate,
    double truncatedRate, int truncatedLength,
    double oversizedRate, int oversizedExtraBytes,
    double unknownStreamRate, int unknownStreamId,
    double errorFlagsRate, int errorFlags,
    double seqJumpRate, long seqJumpSamples,
    double seqBackRate, long seqBackSamples,
    double resetRate, long resetToSeq)
{
    /** Largest reorder window: a step then emits at most 2 + 32 datagrams, which fits a 64-message batch. */
    public static final int MAX_REORDER_WINDOW = 32;

    /** No impairment at all. */
    public static Impairments none(final PacketGeometry geometry)
    {
        return new Impairments(0, 0, 2, 50, 0, 1000, 0, 8, 0, 0, defaultTruncatedLength(geometry), 0, 64, 0,
            0xF000, 0, 0x100, 0, 32L * geometry.samplesPerPacket(), 0, 4L * geometry.samplesPerPacket(), 0, 0);
    }

    private static int defaultTruncatedLength(final PacketGeometry geometry)
    {
        return Math.max(geometry.datagramBytes() / 2, 1);
    }

    /** Reads and checks the {@code impairments:} block (absent: none), recording errors that name the value. */
    public static Impairments read(final StageConfig config, final PacketGeometry geometry, final StreamTable table)
    {
        final Impairments d = none(geometry);
        final StageConfig block = config.child("impairments");
        if (block == null)
        {
            return d;
        }
        final StageConfig loss = block.child("loss");
        final StageConfig burst = block.child("burst_loss");
        final StageConfig outage = block.child("outage");
        final StageConfig reorder = block.child("reorder");
        final StageConfig duplicate = block.child("duplicate");
        final StageConfig truncated = block.child("truncated");
        final StageConfig oversized = block.child("oversized");
        final StageConfig unknown = block.child("unknown_stream");
        final StageConfig flags = block.child("error_flags");
        final StageConfig jump = block.child("seq_jump");
        final StageConfig back = block.child("seq_back");
        final StageConfig reset = block.child("reset");
        final Impairments read = new Impairments(
            rate(loss),
            rate(burst), intOf(burst, "min_packets", d.burstMinPackets()),
            intOf(burst, "max_packets", d.burstMaxPackets()),
            rate(outage), longOf(outage, "packets", d.outagePackets()),
            rate(reorder), intOf(reorder, "window", d.reorderWindow()),
            rate(duplicate),
            rate(truncated), intOf(truncated, "length", d.truncatedLength()),
            rate(oversized), intOf(oversized, "extra_bytes", d.oversizedExtraBytes()),
            rate(unknown), intOf(unknown, "stream_id", d.unknownStreamId()),
            rate(flags), (int)longOf(flags, "flags", d.errorFlags()),
            rate(jump), longOf(jump, "samples", d.seqJumpSamples()),
            rate(back), longOf(back, "samples", d.seqBackSamples()),
            rate(reset), longOf(reset, "to_seq", d.resetToSeq()));
        read.validate(block, geometry, table);
        return read;
    }

    /**
     * Reads keys set on the impairment's own block only: config values are inherited from the nodes above, and the
     * stage's sending {@code rate} must not become a loss probability.
     */
    private static double rate(final StageConfig block)
    {
        if (block == null)
        {
            return 0;
        }
        if (block.node().own("rate") == null)
        {
            block.error("missing 'rate': the probability per packet, 0..1");
            return 0;
        }
        final double rate = block.getDouble("rate");
        if (!(rate >= 0 && rate <= 1))
        {
            block.error("rate", "must be a probability per packet, 0..1, found " + rate);
            return 0;
        }
        return rate;
    }

    private static int intOf(final StageConfig block, final String key, final int fallback)
    {
        return block == null || block.node().own(key) == null ? fallback : block.getInt(key, fallback);
    }

    private static long longOf(final StageConfig block, final String key, final long fallback)
    {
        return block == null || block.node().own(key) == null ? fallback : block.getLong(key, fallback);
    }

    private void validate(final StageConfig block, final PacketGeometry geometry, final StreamTable table)
    {
        final int datagram = geometry.datagramBytes();
        if (burstMinPackets < 1 || burstMaxPackets < burstMinPackets)
        {
            error(block, "burst_loss", "min_packets",
                "needs 1 <= min_packets <= max_packets, found " + burstMinPackets + ".." + burstMaxPackets);
        }
        if (outagePackets < 1)
        {
            error(block, "outage", "packets", "packets must be at least 1, found " + outagePackets);
        }
        if (reorderWindow < 1 || reorderWindow > MAX_REORDER_WINDOW)
        {
            error(block, "reorder", "window",
                "window must be 1.." + MAX_REORDER_WINDOW + " packets, found " + reorderWindow);
        }
        if (truncatedLength < 0 || truncatedLength >= datagram)
        {
            error(block, "truncated", "length", "length must be 0.." + (datagram - 1) + " (shorter than the " +
                datagram + "-byte datagram), found " + truncatedLength);
        }
        if (oversizedExtraBytes < 1 || (long)datagram + oversizedExtraBytes > PacketGeometry.MAX_DATAGRAM)
        {
            error(block, "oversized", "extra_bytes", "extra_bytes must be 1.." +
                (PacketGeometry.MAX_DATAGRAM - datagram) + " (a datagram holds at most " +
                PacketGeometry.MAX_DATAGRAM + " bytes), found " + oversizedExtraBytes);
        }
        if (unknownStreamId < 0 || unknownStreamId > 0xFFFF)
        {
            error(block, "unknown_stream", "stream_id", "stream_id must be 0..65535, found " + unknownStreamId);
        }
        for (final StreamSpec stream : table.streams())
        {
            if (stream.streamId() == unknownStreamId)
            {
                error(block, "unknown_stream", "stream_id", "stream_id " + unknownStreamId + " is stream " +
                    stream.label() + " of this node, so the receiver would accept it; pick an id no link has " +
                    "(e.g. 0xF000)");
            }
        }
        if (errorFlagsRate > 0 && !geometry.flagWord())
        {
            error(block, "error_flags", "flags", "needs a flag word, but the geometry has flag_word: false");
        }
        else if (errorFlagsRate > 0 && (errorFlags & geometry.flagRejectMask()) == 0)
        {
            error(block, "error_flags", "flags", String.format("flags 0x%x has no bit of flag_reject_mask 0x%x, " +
                "so the receiver would accept the packets", errorFlags, geometry.flagRejectMask()));
        }
        if (seqJumpSamples < 1)
        {
            error(block, "seq_jump", "samples", "samples must be at least 1, found " + seqJumpSamples);
        }
        if (seqBackSamples < 1)
        {
            error(block, "seq_back", "samples", "samples must be at least 1, found " + seqBackSamples);
        }
        if (resetToSeq < 0 || resetToSeq > PacketHeaderDescriptor.SEQ_MASK)
        {
            error(block, "reset", "to_seq", "to_seq must be 0..2^48-1, found " + resetToSeq);
        }
    }

    /** Records a problem at the impairment's key if it is set there, else at its block. */
    private static void error(final StageConfig block, final String impairment, final String key,
        final String message)
    {
        final StageConfig child = block.child(impairment);
        if (child == null)
        {
            block.error(impairment + ": " + message);
        }
        else if (child.node().own(key) != null)
        {
            child.error(key, message);
        }
        else
        {
            child.error(message);
        }
    }

    /** The largest datagram a packet can become (oversized ones included): the slot size a sender needs. */
    public int maxDatagramBytes(final PacketGeometry geometry)
    {
        return geometry.datagramBytes() + (oversizedRate > 0 ? oversizedExtraBytes : 0);
    }

    /** The impairments that are on, with their parameters, as the ground-truth header lists them. */
    public Map<String, Map<String, Object>> enabled()
    {
        final Map<String, Map<String, Object>> on = new LinkedHashMap<>();
        put(on, "loss", lossRate);
        put(on, "burst_loss", burstRate, "min_packets", burstMinPackets, "max_packets", burstMaxPackets);
        put(on, "outage", outageRate, "packets", outagePackets);
        put(on, "reorder", reorderRate, "window", reorderWindow);
        put(on, "duplicate", duplicateRate);
        put(on, "truncated", truncatedRate, "length", truncatedLength);
        put(on, "oversized", oversizedRate, "extra_bytes", oversizedExtraBytes);
        put(on, "unknown_stream", unknownStreamRate, "stream_id", unknownStreamId);
        put(on, "error_flags", errorFlagsRate, "flags", errorFlags);
        put(on, "seq_jump", seqJumpRate, "samples", seqJumpSamples);
        put(on, "seq_back", seqBackRate, "samples", seqBackSamples);
        put(on, "reset", resetRate, "to_seq", resetToSeq);
        return on;
    }

    private static void put(final Map<String, Map<String, Object>> on, final String name, final double rate,
        final Object... parameters)
    {
        if (rate > 0)
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("rate", rate);
            for (int i = 0; i < parameters.length; i += 2)
            {
                values.put((String)parameters[i], parameters[i + 1]);
            }
            on.put(name, values);
        }
    }
}
