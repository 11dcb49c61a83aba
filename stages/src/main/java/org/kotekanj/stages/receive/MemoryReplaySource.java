package org.kotekanj.stages.receive;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Replays datagrams held in memory, in order, handing out their addresses in place (no copy). For deterministic
 * tests and benchmarks of the placement without sockets; optionally loops forever.
 */
public final class MemoryReplaySource implements PacketSource
{
    private final MemorySegment data;
    private final long[] offsets;
    private final int[] lengths;
    private final int[] links;
    private final boolean loop;
    private final String[] linkLabels;
    private int next;

    /**
     * @param data    the datagrams, back to back or anywhere in the segment.
     * @param offsets where each datagram starts in {@code data}.
     * @param lengths each datagram's length.
     * @param links   each datagram's link index.
     */
    public MemoryReplaySource(final MemorySegment data, final long[] offsets, final int[] lengths, final int[] links,
        final int numLinks, final boolean loop)
    {
        if (offsets.length != lengths.length || offsets.length != links.length)
        {
            throw new IllegalArgumentException("offsets, lengths and links must have the same length");
        }
        for (int i = 0; i < offsets.length; i++)
        {
            if (offsets[i] < 0 || lengths[i] < 0 || offsets[i] + lengths[i] > data.byteSize())
            {
                throw new IllegalArgumentException("datagram " + i + " lies outside the replay data");
            }
        }
        this.data = data;
        this.offsets = offsets.clone();
        this.lengths = lengths.clone();
        this.links = links.clone();
        this.loop = loop;
        this.linkLabels = new String[numLinks];
        Arrays.setAll(linkLabels, i -> "replay" + i);
    }

    @Override
    public int poll(final PacketBatch batch)
    {
        batch.clear();
        while (batch.count() < batch.capacity())
        {
            if (next == offsets.length)
            {
                if (!loop || offsets.length == 0)
                {
                    break;
                }
                next = 0;
            }
            batch.add(data.address() + offsets[next], lengths[next], links[next]);
            next++;
        }
        return batch.count();
    }

    @Override
    public boolean isRecorded()
    {
        return true;
    }

    @Override
    public boolean isExhausted()
    {
        return !loop && next == offsets.length;
    }

    @Override
    public String[] linkLabels()
    {
        return linkLabels.clone();
    }

    @Override
    public String describe()
    {
        return "memory replay of " + offsets.length + " datagrams" + (loop ? ", looping" : "");
    }

    @Override
    public void close()
    {
    }
}
