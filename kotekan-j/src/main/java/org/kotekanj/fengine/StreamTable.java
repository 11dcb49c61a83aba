package org.kotekanj.fengine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import org.kotekanj.config.StageConfig;
import org.kotekanj.config.ConfigValue;

/**
 * The streams one node receives and how they map onto its frames: the stream map of the wire spec, evaluated for a
 * node. Frame frequencies are the distinct {@code freq_id}s of all streams in order of first appearance; input
 * blocks are stacked in block order and padded to a multiple of {@value #INPUT_PADDING} inputs.
 *
 * <ul>
 *   <li>{@code chime}: keys {@code slot}, {@code link}, {@code crate_parity}; four streams, crates
 *       {@code p, p+2, p+4, p+6}, {@code input_block = crate / 2},
 *       {@code freq_id = (crate mod 2)*16 + slot + link*32 + k*256}.</li>
 *   <li>{@code single-board}: keys {@code crate}, {@code slot}, {@code links}; one stream per link, input block 0,
 *       {@code freq_id = link + k*8}.</li>
 *   <li>{@code generic}: {@code streams: [{stream_id, freq_base, input_block}, ...]},
 *       {@code freq_id = freq_base + k}.</li>
 * </ul>
 */
public final class StreamTable
{
    public static final int INPUT_PADDING = 128;

    private final PacketGeometry geometry;
    private final List<StreamSpec> streams;
    private final int[] freqIds;
    private final int numBlocks;

    public StreamTable(final PacketGeometry geometry, final List<StreamSpec> streams)
    {
        this.geometry = geometry;
        this.streams = List.copyOf(streams);
        final LinkedHashSet<Integer> freqs = new LinkedHashSet<>();
        int blocks = 0;
        for (final StreamSpec stream : streams)
        {
            for (final int freqId : stream.freqIds())
            {
                freqs.add(freqId);
            }
            blocks = Math.max(blocks, stream.inputBlock() + 1);
        }
        this.freqIds = freqs.stream().mapToInt(Integer::intValue).toArray();
        this.numBlocks = blocks;
    }

    /** The CHIME GPU node receiving slot {@code slot}, link {@code link} of the crates with parity {@code parity}. */
    public static StreamTable chimeNode(final PacketGeometry geometry, final int slot, final int link, final int parity)
    {
        final List<StreamSpec> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final int crate = parity + 2 * i;
            final int[] freqs = new int[geometry.freqsPerPacket()];
            for (int k = 0; k < freqs.length; k++)
            {
                freqs[k] = (crate % 2) * 16 + slot + link * 32 + k * 256;
            }
            streams.add(new StreamSpec(StreamId.of(crate, slot, link), crate / 2, freqs));
        }
        return new StreamTable(geometry, streams);
    }

    /** A single board's links. */
    public static StreamTable singleBoard(final PacketGeometry geometry, final int crate, final int slot,
        final int[] links)
    {
        final List<StreamSpec> streams = new ArrayList<>();
        for (final int link : links)
        {
            final int[] freqs = new int[geometry.freqsPerPacket()];
            for (int k = 0; k < freqs.length; k++)
            {
                freqs[k] = link + k * 8;
            }
            streams.add(new StreamSpec(StreamId.of(crate, slot, link), 0, freqs));
        }
        return new StreamTable(geometry, streams);
    }

    /** Reads the node's streams for the geometry's profile from a stage config, recording errors. */
    public static StreamTable read(final StageConfig config, final PacketGeometry geometry)
    {
        switch (geometry.profile())
        {
            case PacketGeometry.CHIME ->
            {
                final int slot = config.getInt("slot", 0);
                final int link = config.getInt("link", 0);
                final int parity = config.getInt("crate_parity", 0);
                if (slot < 0 || slot > 15)
                {
                    config.error("slot", "must be 0..15, found " + slot);
                }
                if (link < 0 || link > 7)
                {
                    config.error("link", "must be 0..7 for the chime profile (freq_id = (crate mod 2)*16 + slot + " +
                        "link*32 + k*256 stays below 256 per k), found " + link);
                }
                if (parity != 0 && parity != 1)
                {
                    config.error("crate_parity", "must be 0 (crates 0,2,4,6) or 1 (crates 1,3,5,7), found " + parity);
                }
                return chimeNode(geometry, clamp(slot, 15), clamp(link, 7), clamp(parity, 1));
            }
            case PacketGeometry.SINGLE_BOARD ->
            {
                final int crate = config.getInt("crate", 0);
                final int slot = config.getInt("slot", 0);
                final int[] links = config.getIntArray("links", new int[] {0, 1, 2, 3, 4, 5, 6, 7});
                if (crate < 0 || crate > 15 || slot < 0 || slot > 15)
                {
                    config.error("crate and slot must be 0..15, found " + crate + " and " + slot);
                }
                for (final int link : links)
                {
                    if (link < 0 || link > 7)
                    {
                        config.error("links", "links must be 0..7 (freq_id = link + k*8), found " + link);
                        return singleBoard(geometry, clamp(crate, 15), clamp(slot, 15), new int[] {0});
                    }
                }
                return singleBoard(geometry, clamp(crate, 15), clamp(slot, 15), links);
            }
            default ->
            {
                return readGeneric(config, geometry);
            }
        }
    }

    private static StreamTable readGeneric(final StageConfig config, final PacketGeometry geometry)
    {
        final List<StreamSpec> streams = new ArrayList<>();
        final List<StageConfig> entries = config.childList("streams");
        if (entries.isEmpty())
        {
            config.error("streams", "the generic profile needs a streams table: [{stream_id, freq_base, input_block}]");
        }
        final LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        for (final StageConfig entry : entries)
        {
            final int streamId = readStreamId(entry);
            final int base = entry.getInt("freq_base");
            final int block = entry.getInt("input_block", 0);
            if (!seen.add(streamId))
            {
                entry.error("stream_id", "stream " + StreamId.format(streamId) + " is listed twice");
            }
            if (base < 0 || block < 0)
            {
                entry.error("freq_base and input_block must not be negative");
                continue;
            }
            final int[] freqs = new int[Math.max(geometry.freqsPerPacket(), 0)];
            Arrays.setAll(freqs, k -> base + k);
            streams.add(new StreamSpec(streamId, block, freqs));
        }
        return new StreamTable(geometry, streams);
    }

    private static int readStreamId(final StageConfig entry)
    {
        final ConfigValue value = entry.origin("stream_id");
        if (value != null && value.raw() instanceof String text && text.contains("."))
        {
            try
            {
                return StreamId.parse(text);
            }
            catch (final IllegalArgumentException e)
            {
                entry.error("stream_id", e.getMessage());
                return 0;
            }
        }
        final int id = entry.getInt("stream_id");
        if (id < 0 || id > StreamId.MAX)
        {
            entry.error("stream_id", "must be 0..65535 or crate.slot.link, found " + id);
            return 0;
        }
        return id;
    }

    private static int clamp(final int value, final int max)
    {
        return Math.max(0, Math.min(value, max));
    }

    public PacketGeometry geometry()
    {
        return geometry;
    }

    public List<StreamSpec> streams()
    {
        return streams;
    }

    /** The frame's frequencies in frame order. */
    public int[] freqIds()
    {
        return freqIds.clone();
    }

    public int numFreqs()
    {
        return freqIds.length;
    }

    public int numBlocks()
    {
        return numBlocks;
    }

    /** Inputs actually carried: blocks x N_p. */
    public int numInputs()
    {
        return numBlocks * geometry.inputsPerPacket();
    }

    /** Inputs per frame row, padded to a multiple of {@value #INPUT_PADDING} for the GPU kernels. */
    public int paddedInputs()
    {
        return (numInputs() + INPUT_PADDING - 1) / INPUT_PADDING * INPUT_PADDING;
    }

    /** The frame position of a {@code freq_id}, or -1 if this node does not hold it. */
    public int freqIndex(final int freqId)
    {
        for (int i = 0; i < freqIds.length; i++)
        {
            if (freqIds[i] == freqId)
            {
                return i;
            }
        }
        return -1;
    }
}
