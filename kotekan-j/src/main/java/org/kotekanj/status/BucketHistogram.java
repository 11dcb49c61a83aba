package org.kotekanj.status;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * A histogram of small integers (e.g. datagrams per poll) kept as one counter per bucket in the counters file, so that
 * recording is one plain counter increment and outside readers see it too. Bucket {@code i} counts values
 * {@code <= bounds[i]}; the last counts the rest.
 */
public final class BucketHistogram
{
    private final long[] bounds;
    private final AtomicCounter[] buckets;
    private final AtomicCounter sum;
    private final AtomicCounter count;

    BucketHistogram(final long[] bounds, final AtomicCounter[] buckets, final AtomicCounter sum,
        final AtomicCounter count)
    {
        this.bounds = bounds;
        this.buckets = buckets;
        this.sum = sum;
        this.count = count;
    }

    /** Records one value; single writer. */
    public void record(final long value)
    {
        int i = 0;
        while (i < bounds.length && value > bounds[i])
        {
            i++;
        }
        buckets[i].incrementRelease();
        sum.getAndAddRelease(value);
        count.incrementRelease();
    }

    public long count()
    {
        return count.get();
    }

    public long sum()
    {
        return sum.get();
    }
}
