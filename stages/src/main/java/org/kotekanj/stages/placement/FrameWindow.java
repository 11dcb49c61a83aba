package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.buffer.HeaderShare;

/**
 * The receive path's window of open output frames, in absolute sample time: frame {@code F} holds samples
 * {@code [F·T, (F+1)·T)}. Packets for any open frame are placed (late packets inside the window are not lost, unlike
 * CHIME's receiver); a packet beyond the newest frame opens frames and publishes the oldest ones that fall out of the
 * window; a packet for a frame older than the newest open one, and not open, is too old. Frames are therefore
 * published strictly in time order, each once.
 *
 * <p>The window only windows, claims and agrees; what a frame holds is the {@link FrameCompleter}'s job. When no
 * frame is free downstream the window does not wait: a live receiver drops the packet and counts back-pressure, a
 * replay offers it again once a frame is free (every call before the claim is repeatable). Several
 * receive stages may fill one buffer: the frame each buffer sequence holds is agreed through
 * {@link FrameProducer#agree}, and the header totals (lost cells, flags) of all producers are merged through
 * {@link FrameProducer#contribute}.
 */
public final class FrameWindow
{
    public static final int TOO_OLD = -1;
    public static final int BACKPRESSURE = -2;

    private final FrameProducer producer;
    private final FrameCompleter completer;
    private final SharedTimeline timeline;
    private final boolean lead;
    private final int capacity;
    private final long[] frames;
    private final int[] slots;
    private final long[] addresses;
    private final MemorySegment[] metadata;
    private final int[] flags;
    private int open;
    private long lastFrame = -1;
    private int pendingFlags;
    private long published;

    public FrameWindow(final FrameProducer producer, final FrameCompleter completer, final int capacity,
        final SharedTimeline timeline)
    {
        this.producer = producer;
        this.timeline = timeline;
        this.completer = completer;
        this.lead = producer.buffer().producers().indexOf(producer) == 0;
        this.capacity = capacity;
        this.frames = new long[capacity];
        this.slots = new int[capacity];
        this.addresses = new long[capacity];
        this.metadata = new MemorySegment[capacity];
        this.flags = new int[capacity];
    }

    /**
     * The open-frame entry holding frame {@code frame}, opening frames as needed; {@link #TOO_OLD} if that frame was
     * already published or skipped, {@link #BACKPRESSURE} if it needs a frame and none is free downstream.
     */
    public int entryFor(final long frame)
    {
        for (int e = open - 1; e >= 0; e--)
        {
            if (frames[e] == frame)
            {
                return e;
            }
        }
        final long newestOpen = open > 0 ? frames[open - 1] : lastFrame;
        if (newestOpen >= 0 && frame <= newestOpen)
        {
            return TOO_OLD;
        }
        while (true)
        {
            while (open > 0 && frames[0] <= frame - capacity)
            {
                publishOldest(null);
            }
            final long newest = open > 0 ? frames[open - 1] : lastFrame;
            final long proposal = newest < 0 ? frame : Math.max(newest + 1, frame - (capacity - 1));
            final int slot = producer.tryClaim();
            if (slot < 0)
            {
                return BACKPRESSURE;
            }
            final long agreed = producer.agree(proposal);
            if (newest >= 0 && agreed > newest + 1)
            {
                completer.countSkipped(agreed - newest - 1, capacity);
            }
            openFrame(slot, agreed);
            if (agreed == frame)
            {
                return open - 1;
            }
            if (agreed > frame)
            {
                return TOO_OLD;
            }
        }
    }

    /** Absolute address of the first byte of an open frame. */
    public long address(final int entry)
    {
        return addresses[entry];
    }

    public MemorySegment metadata(final int entry)
    {
        return metadata[entry];
    }

    /**
     * Marks the next frame to open as missing samples dropped for back-pressure (the caller dropped a packet that
     * {@link #entryFor} answered {@link #BACKPRESSURE}). A caller that waits instead, and offers the packet again,
     * flags nothing: nothing was lost.
     */
    public void flagBackpressure()
    {
        pendingFlags |= FrameMetadataDescriptor.FLAG_BACKPRESSURE;
    }

    /** Marks the open frames, and the next one to open, as containing an F-engine reset or jump. */
    public void flagReset()
    {
        pendingFlags |= FrameMetadataDescriptor.FLAG_RESET;
        for (int e = 0; e < open; e++)
        {
            flags[e] |= FrameMetadataDescriptor.FLAG_RESET;
        }
    }

    public void publishAll()
    {
        while (open > 0)
        {
            publishOldest(null);
        }
    }

    /**
     * Publishes every open frame at shutdown or after a quiet period. The cells after each stream's last packet are
     * filled and flagged like any lost cell, but not counted as lost samples: they had not arrived yet.
     */
    public void publishAllAtEnd(final StreamTracker tracker)
    {
        while (open > 0)
        {
            publishOldest(tracker);
        }
    }

    public int openFrames()
    {
        return open;
    }

    /** Frames this window has published. */
    public long published()
    {
        return published;
    }

    private void openFrame(final int slot, final long frame)
    {
        final MemorySegment data = producer.frame(slot);
        final MemorySegment meta = producer.metadata(slot);
        completer.open(slot, data.address(), meta, frame, lead);
        frames[open] = frame;
        slots[open] = slot;
        addresses[open] = data.address();
        metadata[open] = meta;
        flags[open] = pendingFlags;
        pendingFlags = 0;
        open++;
        lastFrame = frame;
        timeline.opened(frame);
    }

    private void publishOldest(final StreamTracker end)
    {
        final MemorySegment meta = metadata[0];
        final long lostCells = completer.complete(addresses[0], meta, frames[0], end);
        final int frameFlags = flags[0] | completer.realignedFlag(meta);
        final long merged = producer.contribute(lostCells, frameFlags);
        if (merged >= 0)
        {
            FrameMetadataDescriptor.lostCells(meta, HeaderShare.count(merged));
            FrameMetadataDescriptor.flags(meta, HeaderShare.flags(merged));
        }
        producer.publish();
        published++;
        open--;
        System.arraycopy(frames, 1, frames, 0, open);
        System.arraycopy(slots, 1, slots, 0, open);
        System.arraycopy(addresses, 1, addresses, 0, open);
        System.arraycopy(metadata, 1, metadata, 0, open);
        System.arraycopy(flags, 1, flags, 0, open);
        metadata[open] = null;
    }
}
