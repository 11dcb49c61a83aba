package org.kotekanj.baseband.ring;

import java.lang.foreign.MemorySegment;

import org.agrona.collections.Long2LongHashMap;
import org.kotekanj.baseband.plan.RingState;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameReader;

/**
 * Which absolute frame (sample time {@code [F·T, (F+1)·T)}) each buffer sequence of the ring holds, learned from
 * the frames' metadata as they are published. Owned by the baseband stage's thread; {@link #state()} is published
 * for the REST threads. A frame whose slot was claimed again is forgotten; after an F-engine reset the newest frame
 * with an index wins.
 */
public final class RingIndex
{
    private final FrameReader reader;
    private final long samplesPerFrame;
    private final Long2LongHashMap sequenceOfFrame = new Long2LongHashMap(-1);
    private final long[] frameOfSlot;
    private long indexed;
    private long newestFrame = -1;
    private long firstArrivalNanos;
    private long firstFrameSeq = -1;
    private long secondArrivalNanos;
    private long secondFrameSeq = -1;
    private volatile RingState state;

    public RingIndex(final FrameReader reader, final long samplesPerFrame)
    {
        this.reader = reader;
        this.samplesPerFrame = samplesPerFrame;
        this.frameOfSlot = new long[reader.numFrames()];
        java.util.Arrays.fill(frameOfSlot, -1);
        this.state = new RingState(0, 0, capacitySamples());
    }

    public long capacitySamples()
    {
        return reader.numFrames() * samplesPerFrame;
    }

    public long samplesPerFrame()
    {
        return samplesPerFrame;
    }

    /** Learns newly published frames; returns how many. */
    public int update()
    {
        final long published = reader.published();
        if (published - indexed > reader.numFrames())
        {
            indexed = published - reader.numFrames();
        }
        int learned = 0;
        while (indexed < published)
        {
            final long sequence = indexed++;
            final int slot = reader.slotOf(sequence);
            final long previous = frameOfSlot[slot];
            if (previous >= 0 && sequenceOfFrame.get(previous) == sequence - reader.numFrames())
            {
                sequenceOfFrame.remove(previous);
            }
            frameOfSlot[slot] = -1;
            if (!reader.readable(sequence))
            {
                continue;
            }
            final MemorySegment meta = reader.metadata(slot);
            final long firstSeq = FrameMetadataDescriptor.firstSeq(meta);
            final long arrival = FrameMetadataDescriptor.arrivalNanos(meta);
            if (!reader.stillHolds(sequence))
            {
                continue;
            }
            final long frame = Math.floorDiv(firstSeq, samplesPerFrame);
            frameOfSlot[slot] = frame;
            sequenceOfFrame.put(frame, sequence);
            newestFrame = frame;
            if (firstFrameSeq < 0)
            {
                firstFrameSeq = firstSeq;
                firstArrivalNanos = arrival;
            }
            else if (secondFrameSeq < 0)
            {
                secondFrameSeq = firstSeq;
                secondArrivalNanos = arrival;
            }
            learned++;
        }
        if (learned > 0 || indexed > 0)
        {
            state = computeState();
        }
        return learned;
    }

    /** The buffer sequence holding absolute frame {@code frame}, or -1 if the ring does not hold it (any more). */
    public long sequenceOf(final long frame)
    {
        final long sequence = sequenceOfFrame.get(frame);
        return sequence >= 0 && sequence >= reader.oldestIntact() ? sequence : -1;
    }

    /** The newest absolute frame published, or -1 before any. */
    public long newestFrame()
    {
        return newestFrame;
    }

    public RingState state()
    {
        return state;
    }

    /**
     * The unix time of sample 0 from the packets' arrival: the arrival of the first packet of the second frame
     * received, taken as the time of that frame's first sample (the first frame may have started mid-frame); 0 if
     * fewer than two frames arrived.
     */
    public long frame0FromArrival(final long samplePeriodNs)
    {
        return secondFrameSeq < 0 ? 0 : secondArrivalNanos - secondFrameSeq * samplePeriodNs;
    }

    /** Unix ns of the first frame's arrival, or 0. */
    public long firstArrivalNanos()
    {
        return firstArrivalNanos;
    }

    private RingState computeState()
    {
        if (newestFrame < 0)
        {
            return new RingState(0, 0, capacitySamples());
        }
        final long oldestSequence = Math.max(reader.oldestIntact(), indexed - reader.numFrames());
        long oldestFrame = newestFrame;
        for (long s = oldestSequence; s < indexed; s++)
        {
            final long frame = frameOfSlot[reader.slotOf(s)];
            if (frame >= 0)
            {
                oldestFrame = frame;
                break;
            }
        }
        // The oldest intact frame may be claimed again at any moment: count from the one after it.
        final long oldest = Math.min(oldestFrame + 1, newestFrame) * samplesPerFrame;
        return new RingState(oldest, (newestFrame + 1) * samplesPerFrame, capacitySamples());
    }
}
