package org.kotekanj.stages.placement;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.status.MetricNames;
import org.kotekanj.status.MetricsRegistry;

/**
 * The receive path's per-stream accounting. The hot path increments plain {@code long} arrays; {@link #publish()}
 * adds the deltas to the counters file once per batch. One extra row ({@link #UNATTRIBUTED}) holds datagrams whose
 * stream is unknown or unreadable. Every datagram lands in exactly one of packets, malformed, too old, duplicates or dropped for back-pressure.
 */
public final class ReceiveCounters
{
    public static final int PACKETS = 0;
    public static final int BYTES = 1;
    public static final int LOST_SAMPLES = 2;
    public static final int MALFORMED_LENGTH = 3;
    public static final int MALFORMED_FLAGS = 4;
    public static final int MALFORMED_UNKNOWN_STREAM = 5;
    public static final int MALFORMED_OUT_OF_RANGE = 6;
    public static final int TOO_OLD = 7;
    public static final int DUPLICATES = 8;
    public static final int RESETS = 9;
    public static final int DROPPED_BACKPRESSURE = 10;
    public static final int DROPPED_BACKPRESSURE_PACKETS = 11;
    static final int KINDS = 12;

    private static final String[] NAMES = {
        MetricNames.RX_PACKETS, MetricNames.RX_BYTES, MetricNames.RX_LOST_SAMPLES, MetricNames.RX_MALFORMED,
        MetricNames.RX_MALFORMED, MetricNames.RX_MALFORMED, MetricNames.RX_MALFORMED, MetricNames.RX_TOO_OLD,
        MetricNames.RX_DUPLICATES, MetricNames.RX_RESETS, MetricNames.RX_DROPPED_BACKPRESSURE,
        MetricNames.RX_DROPPED_BACKPRESSURE_PACKETS};
    private static final String[] REASONS = {
        null, null, null, "length", "flags", "unknown_stream", "out_of_range", null, null, null, null, null};

    private final int unattributed;
    private final long payloadBytes;

    private final long[] pending;
    private final AtomicCounter[] counters;

    /**
     * @param ports the port label of each stream (index = stream), as configured.
     */
    public ReceiveCounters(final MetricsRegistry metrics, final String stage, final PlacementPlan plan,
        final String[] ports)
    {
        final int rows = plan.numStreams() + 1;
        unattributed = plan.numStreams();
        payloadBytes = plan.geometry().payloadBytes();
        pending = new long[rows * KINDS];
        counters = new AtomicCounter[rows * KINDS];
        for (int row = 0; row < rows; row++)
        {
            final boolean known = row < plan.numStreams();
            final String stream = known ? StreamId.format(plan.streamId(row)) : "unknown";
            final String port = known ? ports[row] : "any";
            for (int kind = 0; kind < KINDS; kind++)
            {
                if (!known && kind != MALFORMED_LENGTH && kind != MALFORMED_UNKNOWN_STREAM)
                {
                    continue;
                }
                counters[row * KINDS + kind] = REASONS[kind] == null ?
                    metrics.counter(NAMES[kind], stage, "stream", stream, "port", port) :
                    metrics.counter(NAMES[kind], stage, "stream", stream, "port", port, "reason", REASONS[kind]);
            }
        }
    }

    /** The row of datagrams not attributable to a known stream (only length and unknown-stream rejects). */
    public int unattributed()
    {
        return unattributed;
    }

    /** Adds to a stream's count (hot path: a plain array add). */
    public void add(final int stream, final int kind, final long amount)
    {
        pending[stream * KINDS + kind] += amount;
    }

    public void increment(final int stream, final int kind)
    {
        pending[stream * KINDS + kind]++;
    }

    /** Moves the pending counts into the counters file; called once per batch. */
    public void publish()
    {
        for (int row = 0; row < unattributed; row++)
        {
            // Every placed packet carries exactly one payload: bytes are derived here, not counted per packet.
            pending[row * KINDS + BYTES] = pending[row * KINDS + PACKETS] * payloadBytes;
        }
        for (int i = 0; i < pending.length; i++)
        {
            final long delta = pending[i];
            if (delta != 0)
            {
                pending[i] = 0;
                counters[i].getAndAddRelease(delta);
            }
        }
    }

    /**
     * A stream's total of one kind: what was published to the counters file (any thread may ask), plus, on the
     * receive thread itself, what is pending.
     */
    public long total(final int stream, final int kind)
    {
        if (kind == BYTES)
        {
            return total(stream, PACKETS) * payloadBytes;
        }
        final AtomicCounter counter = counters[stream * KINDS + kind];
        return (counter == null ? 0 : counter.get()) + pending[stream * KINDS + kind];
    }

    /** The total of one kind over all rows. */
    public long sum(final int kind)
    {
        long sum = 0;
        for (int row = 0; row <= unattributed; row++)
        {
            sum += total(row, kind);
        }
        return sum;
    }
}
