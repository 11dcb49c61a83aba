package org.kotekanj.sim.packets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kotekanj.fengine.StreamTable;

/**
 * An independent re-derivation, for tests, of every datagram a run sent, from nothing but the run's start
 * parameters and its ground-truth events: if this matches what was sent, the log is precise enough to compute any
 * receiver counter exactly.
 */
public final class GroundTruthOracle
{
    private GroundTruthOracle()
    {
    }

    private record Held(long release, SentDatagram datagram)
    {
    }

    public static List<SentDatagram> expected(final StreamTable table, final GeneratorSettings settings,
        final long steps, final int streamIndex, final List<GroundTruthEvent> allEvents)
    {
        final int samples = table.geometry().samplesPerPacket();
        final int datagram = table.geometry().datagramBytes();
        final int streamId = table.streams().get(streamIndex).streamId();
        final Map<String, GroundTruthEvent> byKey = new HashMap<>();
        final List<long[]> lossRanges = new ArrayList<>();
        for (final GroundTruthEvent e : allEvents)
        {
            if (e.streamIndex() != streamIndex)
            {
                continue;
            }
            if (e.type() == EventType.BURST_LOSS || e.type() == EventType.OUTAGE)
            {
                lossRanges.add(new long[] {e.step(), e.step() + e.value()});
            }
            else
            {
                byKey.put(e.type() + "@" + e.step(), e);
            }
        }
        final List<SentDatagram> out = new ArrayList<>();
        final List<Held> held = new ArrayList<>();
        final long first = settings.firstSteps()[streamIndex];
        long seq = settings.startSeq() + first * samples;
        for (long t = first; t < steps; t++)
        {
            for (final EventType move : new EventType[] {EventType.SEQ_JUMP, EventType.SEQ_BACK, EventType.RESET})
            {
                final GroundTruthEvent e = byKey.get(move + "@" + t);
                if (e != null)
                {
                    seq = e.seq();
                }
            }
            final long packetSeq = seq;
            seq += samples;
            final long step = t;
            final boolean lost = byKey.containsKey(EventType.DROP + "@" + t) ||
                lossRanges.stream().anyMatch(r -> step >= r[0] && step < r[1]);
            if (!lost)
            {
                int wire = streamId;
                int length = datagram;
                int flags = settings.footerFlags();
                final GroundTruthEvent unknown = byKey.get(EventType.UNKNOWN_STREAM + "@" + t);
                final GroundTruthEvent truncated = byKey.get(EventType.TRUNCATED + "@" + t);
                final GroundTruthEvent oversized = byKey.get(EventType.OVERSIZED + "@" + t);
                final GroundTruthEvent errorFlags = byKey.get(EventType.ERROR_FLAGS + "@" + t);
                if (unknown != null)
                {
                    wire = (int)unknown.value();
                }
                if (truncated != null)
                {
                    length = (int)truncated.value();
                }
                if (oversized != null)
                {
                    length = (int)oversized.value();
                }
                if (errorFlags != null)
                {
                    flags = (int)errorFlags.value();
                }
                final SentDatagram d = new SentDatagram(streamIndex, wire, packetSeq, length, flags);
                final GroundTruthEvent reorder = byKey.get(EventType.REORDER + "@" + t);
                if (reorder != null)
                {
                    held.add(new Held(reorder.value(), d));
                }
                else
                {
                    out.add(d);
                    if (byKey.containsKey(EventType.DUPLICATE + "@" + t))
                    {
                        out.add(d);
                    }
                }
            }
            for (final Held h : List.copyOf(held))
            {
                if (h.release() == t)
                {
                    out.add(h.datagram());
                    held.remove(h);
                }
            }
        }
        held.sort((a, b) -> Long.compare(a.release(), b.release()));
        held.forEach(h -> out.add(h.datagram()));
        return out;
    }
}
