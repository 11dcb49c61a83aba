package org.kotekanj.buffer;

import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.status.MetricNames;
import org.kotekanj.status.MetricsRegistry;

/**
 * One consumer's side of a {@link FrameBuffer}, used by a single stage thread: acquire full frames in order, read
 * them, release them oldest first. A frame is reused only after every consumer has released it.
 */
public final class FrameConsumer
{
    private final FrameBuffer buffer;
    private final int index;
    private final String stageName;
    private long acquired;
    private long released;
    private long fullLimit;
    private AtomicCounter waits;

    FrameConsumer(final FrameBuffer buffer, final int index, final String stageName)
    {
        this.buffer = buffer;
        this.index = index;
        this.stageName = stageName;
    }

    void bind(final MetricsRegistry metrics)
    {
        waits = metrics.counter(MetricNames.BUFFER_CONSUMER_WAITS, stageName, "buffer", buffer.name());
    }

    public FrameBuffer buffer()
    {
        return buffer;
    }

    public String stageName()
    {
        return stageName;
    }

    /**
     * Acquires the next full frame.
     *
     * @return its slot, or -1 if no frame is full yet (counted as a consumer wait).
     */
    public int tryAcquire()
    {
        final long sequence = acquired;
        if (sequence >= fullLimit)
        {
            fullLimit = buffer.minPublished();
            if (sequence >= fullLimit)
            {
                waits.incrementRelease();
                return -1;
            }
        }
        acquired = sequence + 1;
        return buffer.slotOf(sequence);
    }

    /** Releases the oldest acquired frame for this consumer. */
    public void release()
    {
        if (released == acquired)
        {
            throw new IllegalStateException(stageName + " released a frame of " + buffer.name() + " it never acquired");
        }
        released++;
        buffer.releaseCursor(index, released);
    }

    /** Sequence number of the next frame {@link #tryAcquire} will return. */
    public long acquiredSequence()
    {
        return acquired;
    }

    public MemorySegment frame(final int slot)
    {
        return buffer.frameSegment(slot);
    }

    public MemorySegment metadata(final int slot)
    {
        return buffer.metadataSegment(slot);
    }

    /**
     * Leaves the buffer: producers no longer wait for this consumer (a stage that stops early must not stall the
     * stages that share its input).
     */
    public void close()
    {
        buffer.releaseCursor(index, Long.MAX_VALUE / 4);
    }

    /** True when every producer has closed and this consumer has taken every frame they completed. */
    public boolean isEndOfStream()
    {
        return buffer.producersClosed() && acquired >= buffer.minPublished();
    }
}
