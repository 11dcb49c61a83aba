package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kotekanj.rest.RestException;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The newest integration of each frequency someone asked for, for {@code GET /visibilities/latest?freq_id=N} (the
 * dashboard's heatmap). The first request for a frequency starts watching it and waits for the next integration; from
 * then on the stage copies that frequency's sums into one buffer per frequency after each integration, under a
 * seqlock, so the REST thread copies a consistent snapshot out without ever holding up the stage. Only watched
 * frequencies cost anything (one copy of {@code N(N+1)/2} products per integration).
 */
final class LatestVisibilities
{
    private static final long WAIT_MS = 10_000;

    private final String stage;
    private final int numInputs;
    private final int numProducts;
    /** The frequencies of the newest frame (the stage writes, REST reads; a stale view only misnames a 404). */
    private final int[] freqIds;
    private final Snapshot[] snapshots;

    private static final class Snapshot
    {
        volatile boolean watched;
        volatile long version;
        long[] sums;
        long firstSample;
        long lostSamples;
        long samples;
    }

    LatestVisibilities(final String stage, final int numInputs, final int[] freqIds)
    {
        this.stage = stage;
        this.numInputs = numInputs;
        this.numProducts = (int)ProductIndex.count(numInputs);
        this.freqIds = freqIds.clone();
        snapshots = new Snapshot[freqIds.length];
        for (int f = 0; f < freqIds.length; f++)
        {
            snapshots[f] = new Snapshot();
        }
    }

    /** Stage thread: copies the watched frequencies of a finished visibility frame. */
    void update(final MemorySegment frame)
    {
        for (int f = 0; f < freqIds.length; f++)
        {
            freqIds[f] = VisibilityFrameDescriptor.freqId(frame, f);
        }
        MemorySegment sums = null;
        for (int f = 0; f < snapshots.length; f++)
        {
            final Snapshot snapshot = snapshots[f];
            if (!snapshot.watched)
            {
                continue;
            }
            if (sums == null)
            {
                sums = VisibilityFrameDescriptor.visibilities(frame);
            }
            if (snapshot.sums == null)
            {
                snapshot.sums = new long[2 * numProducts];  // once per watched frequency
            }
            snapshot.version++;  // odd: being written
            VarHandle.storeStoreFence();
            MemorySegment.copy(sums, JAVA_LONG_UNALIGNED, VisibilityFrameDescriptor.visibilityOffset(numProducts, f,
                0), snapshot.sums, 0, 2 * numProducts);
            snapshot.firstSample = VisibilityFrameDescriptor.firstSample(frame);
            snapshot.lostSamples = VisibilityFrameDescriptor.lostSamples(frame, f);
            snapshot.samples = VisibilityFrameDescriptor.samplesPerIntegration(frame);
            snapshot.version++;
        }
    }

    /** REST thread: the JSON body for one frequency. */
    Map<String, Object> latest(final String freqIdText) throws InterruptedException
    {
        final int freqId;
        try
        {
            freqId = Integer.parseInt(freqIdText == null ? "" : freqIdText.trim());
        }
        catch (final NumberFormatException e)
        {
            throw new RestException(400, "freq_id must be an integer, one of " + Arrays.toString(freqIds),
                "freq_id");
        }
        int index = -1;
        for (int f = 0; f < freqIds.length; f++)
        {
            if (freqIds[f] == freqId)
            {
                index = f;
            }
        }
        if (index < 0)
        {
            throw new RestException(404, "this correlator has no freq_id " + freqId + "; it has " +
                Arrays.toString(freqIds), "freq_id");
        }
        final Snapshot snapshot = snapshots[index];
        snapshot.watched = true;
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true)
        {
            final long before = snapshot.version;
            if (before != 0 && (before & 1) == 0)
            {
                final long[] copy = snapshot.sums.clone();
                final long firstSample = snapshot.firstSample;
                final long lost = snapshot.lostSamples;
                final long samples = snapshot.samples;
                VarHandle.loadLoadFence();
                if (snapshot.version == before)
                {
                    return body(freqId, copy, firstSample, lost, samples);
                }
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new RestException(503, "no integration of freq_id " + freqId + " finished in " + WAIT_MS / 1000 +
                    " s", "freq_id");
            }
            Thread.sleep(5);
        }
    }

    private Map<String, Object> body(final int freqId, final long[] sums, final long firstSample, final long lost,
        final long samples)
    {
        final long[] re = new long[numProducts];
        final long[] im = new long[numProducts];
        for (int p = 0; p < numProducts; p++)
        {
            re[p] = sums[2 * p];
            im[p] = sums[2 * p + 1];
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("first_sample", firstSample);
        body.put("freq_id", freqId);
        body.put("num_inputs", numInputs);
        body.put("lost_samples", lost);
        body.put("samples", samples);
        body.put("re", re);
        body.put("im", im);
        return body;
    }
}
