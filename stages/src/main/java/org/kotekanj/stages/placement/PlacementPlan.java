package org.kotekanj.stages.placement;

import java.util.Arrays;
import java.util.List;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;

/**
 * Everything the placement needs precomputed from a node's {@link StreamTable} and frame layout: a 64 Ki-entry table
 * from {@code stream_id} to stream index, each stream's input block and frame frequency index per packet slot
 * {@code k}, and the frame strides. Built once at configuration; immutable.
 */
public final class PlacementPlan
{
    private final PacketGeometry geometry;
    private final SampleFrameLayout layout;
    private final short[] streamIndexById = new short[1 << 16];
    private final int[] streamIds;
    private final int[] inputBlocks;
    private final int[][] freqIndex;
    private final int numBlocks;
    private final int numInputs;
    private final int[] freqIds;

    private PlacementPlan(final StreamTable table, final SampleFrameLayout layout)
    {
        this.geometry = table.geometry();
        this.layout = layout;
        final List<StreamSpec> streams = table.streams();
        Arrays.fill(streamIndexById, (short)-1);
        streamIds = new int[streams.size()];
        inputBlocks = new int[streams.size()];
        freqIndex = new int[streams.size()][];
        for (int s = 0; s < streams.size(); s++)
        {
            final StreamSpec stream = streams.get(s);
            streamIndexById[stream.streamId()] = (short)s;
            streamIds[s] = stream.streamId();
            inputBlocks[s] = stream.inputBlock();
            freqIndex[s] = new int[stream.freqIds().length];
            for (int k = 0; k < freqIndex[s].length; k++)
            {
                freqIndex[s][k] = table.freqIndex(stream.freqIds()[k]);
            }
        }
        numBlocks = table.numBlocks();
        numInputs = table.numInputs();
        freqIds = table.freqIds();
    }

    /**
     * Builds the plan; throws {@link IllegalArgumentException} with the reason it cannot place these streams into
     * such frames (the stage reports it as a config error): frames must hold whole packets, streams must not
     * overlap, at most 32767 streams.
     */
    public static PlacementPlan build(final StreamTable table, final int samplesPerFrame)
    {
        final PacketGeometry geometry = table.geometry();
        if (table.streams().isEmpty())
        {
            throw new IllegalArgumentException("no streams to receive");
        }
        if (table.streams().size() > Short.MAX_VALUE)
        {
            throw new IllegalArgumentException("too many streams: " + table.streams().size());
        }
        if (samplesPerFrame < 1 || samplesPerFrame % geometry.samplesPerPacket() != 0)
        {
            throw new IllegalArgumentException("samples_per_frame (" + samplesPerFrame +
                ") must be a positive multiple of samples_per_packet (" + geometry.samplesPerPacket() + ")");
        }
        final boolean[] used = new boolean[table.numFreqs() * Math.max(1, table.numBlocks())];
        for (final StreamSpec stream : table.streams())
        {
            for (final int freqId : stream.freqIds())
            {
                final int cell = table.freqIndex(freqId) * table.numBlocks() + stream.inputBlock();
                if (used[cell])
                {
                    throw new IllegalArgumentException("streams overlap: freq_id " + freqId + " of input block " +
                        stream.inputBlock() + " comes from more than one stream (" + stream.label() + " and another)");
                }
                used[cell] = true;
            }
        }
        return new PlacementPlan(table, SampleFrameLayout.of(table, samplesPerFrame));
    }

    public PacketGeometry geometry()
    {
        return geometry;
    }

    public SampleFrameLayout layout()
    {
        return layout;
    }

    /** Stream index of a {@code stream_id}, or -1 if this node does not expect it. */
    public int streamIndex(final int streamId)
    {
        return streamIndexById[streamId & 0xFFFF];
    }

    public int numStreams()
    {
        return streamIds.length;
    }

    public int streamId(final int stream)
    {
        return streamIds[stream];
    }

    public int inputBlock(final int stream)
    {
        return inputBlocks[stream];
    }

    /** Frame frequency index of packet slot {@code k} of a stream. */
    public int freqIndex(final int stream, final int k)
    {
        return freqIndex[stream][k];
    }

    /** The {@code freq_id} of each frame frequency, in frame order. */
    public int freqId(final int freqIndex)
    {
        return freqIds[freqIndex];
    }

    public int numBlocks()
    {
        return numBlocks;
    }

    /** Inputs carried by packets (the rest of each padded row is padding). */
    public int numInputs()
    {
        return numInputs;
    }

    /** Presence rows per frame: one per packet-length of samples. */
    public int rows()
    {
        return layout.samplesPerFrame() / geometry.samplesPerPacket();
    }
}
