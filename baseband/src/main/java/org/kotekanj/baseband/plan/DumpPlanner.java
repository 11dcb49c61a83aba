package org.kotekanj.baseband.plan;

import java.util.ArrayList;
import java.util.List;

import org.kotekanj.baseband.api.TriggerRequest;
import org.kotekanj.rest.RestException;

/**
 * Turns a trigger into a per-frequency plan against the ring's current state, or refuses it: 422 for a unix-time
 * request without a time reference, 413 for a window longer than {@code max_dump_seconds} or half the ring, or
 * ending more than half the ring ahead. The work is one formula per frequency: a trigger, however absurd, is
 * answered in microseconds and queues no work for data the ring cannot hold.
 */
public final class DumpPlanner
{
    /** What the planner needs to know about the node. */
    public record Node(int[] freqIds, double[] freqMhz, int numInputs, long samplePeriodNs, double kDm,
        long maxDumpSamples)
    {
    }

    private final Node node;

    public DumpPlanner(final Node node)
    {
        this.node = node;
    }

    public Node node()
    {
        return node;
    }

    /** The plan of every frequency asked for, in the node's frequency order. */
    public List<FreqPlan> plan(final TriggerRequest request, final RingState ring, final TimeReference time)
    {
        final List<Integer> indexes = frequencies(request);
        final long t0;
        if (request.earliest())
        {
            t0 = 0;
        }
        else if (request.startFpga() != null)
        {
            t0 = Math.multiplyExact(request.startFpga(), node.samplePeriodNs());
        }
        else
        {
            if (time == null)
            {
                throw new RestException(422, "this node has no time reference yet (no frame0 in the config and no " +
                    "packet received): use start_fpga or retry later", "start_unix_seconds");
            }
            t0 = request.startUnixNanos() - time.frame0Nanos();
        }
        final long limit = Math.min(node.maxDumpSamples(), ring.capacity() / 2);
        final long durationSamples = -Math.floorDiv(-request.durationNano(), node.samplePeriodNs());
        if (durationSamples > limit)
        {
            throw tooLong("duration_nano", durationSamples, limit);
        }
        final List<FreqPlan> plans = new ArrayList<>(indexes.size());
        for (final int f : indexes)
        {
            final SampleRange requested;
            if (request.earliest())
            {
                requested = new SampleRange(ring.oldest(), ring.oldest() + durationSamples);
            }
            else
            {
                requested = DispersionWindow.of(t0, request.durationNano(), node.kDm(), request.dm(),
                    request.dmError(), node.freqMhz()[f], request.refFreqMhz(), node.samplePeriodNs());
            }
            if (requested.length() > limit)
            {
                throw tooLong("dm_error", requested.length(), limit);
            }
            final long aheadLimit = Math.max(ring.end(), ring.oldest()) + ring.capacity() / 2;
            if (requested.end() > aheadLimit)
            {
                throw new RestException(413, String.format("the window of freq_id %d ends %.3f s after the newest " +
                    "sample; at most half the ring (%.3f s) ahead can be waited for", node.freqIds()[f],
                    seconds(requested.end() - ring.end()), seconds(ring.capacity() / 2)),
                    request.startFpga() != null ? "start_fpga" : "start_unix_seconds");
            }
            final Predicted predicted;
            final SampleRange planned;
            if (requested.end() <= ring.oldest())
            {
                predicted = Predicted.LATE;
                planned = new SampleRange(requested.start(), requested.start());
            }
            else
            {
                planned = requested.clip(ring.oldest(), Long.MAX_VALUE);
                if (requested.start() < ring.oldest())
                {
                    predicted = Predicted.PARTIAL;
                }
                else if (requested.end() > ring.end())
                {
                    predicted = Predicted.FUTURE;
                }
                else
                {
                    predicted = Predicted.FULL;
                }
            }
            plans.add(new FreqPlan(f, node.freqIds()[f], node.freqMhz()[f], requested, planned, predicted,
                fileName(request.eventId(), node.freqIds()[f]), planned.length() * node.numInputs()));
        }
        return plans;
    }

    /** {@code baseband_{event_id}_{freq_id}.h5}. */
    public static String fileName(final long eventId, final int freqId)
    {
        return "baseband_" + eventId + "_" + freqId + ".h5";
    }

    private List<Integer> frequencies(final TriggerRequest request)
    {
        final List<Integer> indexes = new ArrayList<>();
        if (request.freqIds() == null)
        {
            for (int f = 0; f < node.freqIds().length; f++)
            {
                indexes.add(f);
            }
            return indexes;
        }
        for (final int id : request.freqIds())
        {
            int found = -1;
            for (int f = 0; f < node.freqIds().length; f++)
            {
                if (node.freqIds()[f] == id)
                {
                    found = f;
                    break;
                }
            }
            if (found < 0)
            {
                throw new RestException(400, "freq_id " + id + " is not one of this node's " + node.freqIds().length +
                    " frequencies", "freq_ids");
            }
            indexes.add(found);
        }
        indexes.sort(Integer::compare);
        return indexes;
    }

    private RestException tooLong(final String field, final long samples, final long limit)
    {
        return new RestException(413, String.format("the window is %.3f s long; at most %.3f s (max_dump_seconds, " +
            "and half the ring) can be dumped", seconds(samples), seconds(limit)), field);
    }

    private double seconds(final long samples)
    {
        return samples * (double)node.samplePeriodNs() * 1e-9;
    }
}
