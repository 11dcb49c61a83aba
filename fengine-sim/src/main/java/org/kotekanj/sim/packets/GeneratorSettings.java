package org.kotekanj.sim.packets;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamTable;

/**
 * How a simulated run starts and what goes wrong in it: the seed of every random choice, the first {@code seq}
 * (need not be aligned to a receiver's frames, but should be a multiple of {@code samples_per_packet}: F-engines
 * count whole packets, and a receiver rejects a packet whose seq is not one), each link's start skew in packets, the
 * flag word of healthy packets, and the {@link Impairments}.
 *
 * <pre>
 * seed: 1                        # every impairment's choices follow from it
 * start_seq: 0                   # seq of step 0; e.g. 1002 for a start unaligned to frames (S = 2)
 * start_skew_packets: [0, 3, 1]  # per stream (table order): silent for that many steps, then starts
 * max_start_skew_packets: 8      # or: each stream's skew drawn uniformly from 0..8
 * footer_flags: 0                # flag word of healthy packets (must not hit flag_reject_mask)
 * impairments: {...}
 * </pre>
 *
 * @param firstSteps per stream, the first step at which it sends (its start skew).
 */
public record GeneratorSettings(long seed, long startSeq, long[] firstSteps, int footerFlags, Impairments impairments)
{
    /** A clean run: seed 1, from {@code startSeq}, no skew, no impairments. */
    public static GeneratorSettings clean(final StreamTable table, final long startSeq)
    {
        return new GeneratorSettings(1, startSeq, new long[table.streams().size()], 0,
            Impairments.none(table.geometry()));
    }

    public static GeneratorSettings read(final StageConfig config, final PacketGeometry geometry,
        final StreamTable table)
    {
        final long seed = config.getLong("seed", 1);
        final long startSeq = config.getLong("start_seq", 0);
        if (startSeq < 0 || startSeq > PacketHeaderDescriptor.SEQ_MASK)
        {
            config.error("start_seq", "must be 0..2^48-1 (seq is a 48-bit counter), found " + startSeq);
        }
        final int streams = table.streams().size();
        final long[] firstSteps = new long[streams];
        final long[] skew = config.getLongArray("start_skew_packets", null);
        final long maxSkew = config.getLong("max_start_skew_packets", 0);
        if (skew != null && config.has("max_start_skew_packets"))
        {
            config.error("start_skew_packets", "set either start_skew_packets or max_start_skew_packets, not both");
        }
        if (skew != null)
        {
            if (skew.length != streams)
            {
                config.error("start_skew_packets", "needs one value per stream (" + streams + "), found " +
                    skew.length);
            }
            for (int i = 0; i < Math.min(streams, skew.length); i++)
            {
                if (skew[i] < 0)
                {
                    config.error("start_skew_packets", "skews must not be negative, found " + skew[i]);
                }
                firstSteps[i] = Math.max(skew[i], 0);
            }
        }
        else if (maxSkew < 0)
        {
            config.error("max_start_skew_packets", "must not be negative, found " + maxSkew);
        }
        else if (maxSkew > 0)
        {
            final SplittableRandom random = new SplittableRandom(EventSchedule.seed(seed, -1, 0));
            Arrays.setAll(firstSteps, i -> random.nextLong(maxSkew + 1));
        }
        final long flags = config.getLong("footer_flags", 0);
        if (flags < 0 || flags > 0xFFFF_FFFFL)
        {
            config.error("footer_flags", "must be a 32-bit value, found " + flags);
        }
        else if (flags != 0 && !geometry.flagWord())
        {
            config.error("footer_flags", "needs a flag word, but the geometry has flag_word: false");
        }
        else if ((flags & geometry.flagRejectMask()) != 0)
        {
            config.error("footer_flags", String.format("0x%x hits flag_reject_mask 0x%x: every packet would be " +
                "rejected; use impairments.error_flags for some", flags, geometry.flagRejectMask()));
        }
        return new GeneratorSettings(seed, startSeq, firstSteps, (int)flags,
            Impairments.read(config, geometry, table));
    }
}
