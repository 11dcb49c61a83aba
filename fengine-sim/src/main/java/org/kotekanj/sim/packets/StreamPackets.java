package org.kotekanj.sim.packets;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kotekanj.nativeio.MmsgBatch;

/**
 * One link's packets, time step by time step, with its impairments applied: the whole simulator state of a stream.
 * A step normally writes one datagram; the impairments make it write none, two, or release held ones. Healthy steps
 * take a fast path of one comparison; every choice is logged to the {@link GroundTruth}.
 *
 * <p>Within one step, in this order:
 * <ol>
 *   <li>before the stream's first step (its start skew) nothing happens;</li>
 *   <li>{@code seq_jump}, {@code seq_back}, {@code reset} move the stream's seq (each logged with from/to);</li>
 *   <li>the packet gets {@code seq}, and seq advances by {@code S};</li>
 *   <li>losses: an ongoing outage or burst, else a new outage, else a new burst, else random loss (one loss
 *       period at a time, so every logged range is exact and contiguous);</li>
 *   <li>at most one corruption: unknown stream_id, else truncated, else oversized, else error flags;</li>
 *   <li>the packet is held back (reorder), or written and, on a duplicate, written again right after;</li>
 *   <li>held packets due at this step are written after it, in the order they were held.</li>
 * </ol>
 */
final class StreamPackets
{
    private static final int LOSS = 0;
    private static final int BURST = 1;
    private static final int OUTAGE = 2;
    private static final int REORDER = 3;
    private static final int DUPLICATE = 4;
    private static final int TRUNCATED = 5;
    private static final int OVERSIZED = 6;
    private static final int UNKNOWN = 7;
    private static final int FLAGS = 8;
    private static final int JUMP = 9;
    private static final int BACK = 10;
    private static final int RESET = 11;
    private static final int KINDS = 12;

    private final int index;
    private final int streamId;
    private final int samples;
    private final int datagram;
    private final int footerFlags;
    private final long firstStep;
    private final PacketWriter writer;
    private final Impairments impairments;
    private final GroundTruth truth;
    private final EventSchedule[] schedules = new EventSchedule[KINDS];

    private final long[] heldSeq;
    private final int[] heldWireId;
    private final int[] heldLength;
    private final int[] heldFlags;
    private final long[] heldStep;
    private final long[] heldRelease;
    private int heldCount;

    private long steps;
    private long step;
    private long seq;
    private long nextEvent;
    private long lossEnd = -1;
    private long lossStart;
    private long lossStartSeq;
    private long lossDropped;
    private EventType lossType;
    private boolean finished;

    private long datagrams;
    private final long[] counts = new long[EventType.values().length];

    StreamPackets(final int index, final int streamId, final PacketWriter writer, final GeneratorSettings settings,
        final long steps, final GroundTruth truth)
    {
        this.index = index;
        this.streamId = streamId;
        this.writer = writer;
        this.impairments = settings.impairments();
        this.truth = truth;
        this.samples = writer.samplesPerPacket();
        this.datagram = writer.datagramBytes();
        this.footerFlags = settings.footerFlags();
        this.firstStep = settings.firstSteps()[index];
        this.steps = steps;
        this.step = 0;
        this.seq = settings.startSeq() + firstStep * samples;
        final double[] rates = {impairments.lossRate(), impairments.burstRate(), impairments.outageRate(),
            impairments.reorderRate(), impairments.duplicateRate(), impairments.truncatedRate(),
            impairments.oversizedRate(), impairments.unknownStreamRate(), impairments.errorFlagsRate(),
            impairments.seqJumpRate(), impairments.seqBackRate(), impairments.resetRate()};
        for (int kind = 0; kind < KINDS; kind++)
        {
            schedules[kind] = new EventSchedule(rates[kind], EventSchedule.seed(settings.seed(), index, kind));
        }
        final int window = impairments.reorderRate() > 0 ? impairments.reorderWindow() : 0;
        heldSeq = new long[window];
        heldWireId = new int[window];
        heldLength = new int[window];
        heldFlags = new int[window];
        heldStep = new long[window];
        heldRelease = new long[window];
        nextEvent = nextScheduled();
    }

    /** Steps taken so far (the next step's index). */
    long step()
    {
        return step;
    }

    /** The seq the next packet will carry. */
    long nextSeq()
    {
        return seq;
    }

    /**
     * True once this stream has taken a step of its own (after its start skew) whose packet holds sample
     * {@code sample} or a later one.
     */
    boolean hasPassed(final long sample)
    {
        return step > firstStep && seq > sample;
    }

    long datagrams()
    {
        return datagrams;
    }

    /** True once every step has been taken and every held packet sent. */
    boolean isDone()
    {
        return step >= steps && heldCount == 0;
    }

    /** True after the last step, while held packets remain: they go out regardless of pacing. */
    boolean isFlushing()
    {
        return step >= steps;
    }

    /** Ends the run at the current step: later calls only send what is still held. */
    void stop()
    {
        steps = Math.min(steps, step);
    }

    /**
     * Takes one step, writing its datagrams into {@code batch} from {@code slot}; the batch must have room for
     * {@code 2 + reorder window} datagrams. After the last step, releases whatever is still held.
     *
     * @return datagrams written.
     */
    int emitStep(final MmsgBatch batch, final int slot)
    {
        if (step >= steps)
        {
            return releaseAll(batch, slot);
        }
        final long t = step++;
        if (t < firstStep)
        {
            return 0;
        }
        if (t < nextEvent)
        {
            write(batch, slot, seq, streamId, datagram, footerFlags);
            seq += samples;
            datagrams++;
            return 1;
        }
        final int written = eventfulStep(t, batch, slot);
        nextEvent = nextScheduled();
        return written;
    }

    private int eventfulStep(final long t, final MmsgBatch batch, final int slot)
    {
        moveSeq(t);
        final long packetSeq = seq;
        seq += samples;
        int n = 0;
        if (!lost(t, packetSeq))
        {
            int wireId = streamId;
            int length = datagram;
            int flags = footerFlags;
            if (schedules[UNKNOWN].fires(t))
            {
                wireId = impairments.unknownStreamId();
                log(EventType.UNKNOWN_STREAM, t, packetSeq, wireId);
            }
            else if (schedules[TRUNCATED].fires(t))
            {
                length = impairments.truncatedLength();
                log(EventType.TRUNCATED, t, packetSeq, length);
            }
            else if (schedules[OVERSIZED].fires(t))
            {
                length = datagram + impairments.oversizedExtraBytes();
                log(EventType.OVERSIZED, t, packetSeq, length);
            }
            else if (schedules[FLAGS].fires(t))
            {
                flags = impairments.errorFlags();
                log(EventType.ERROR_FLAGS, t, packetSeq, flags & 0xFFFF_FFFFL);
            }
            if (heldCount < heldSeq.length && schedules[REORDER].fires(t))
            {
                hold(t, packetSeq, wireId, length, flags, t + schedules[REORDER].uniform(1, heldSeq.length));
            }
            else
            {
                write(batch, slot, packetSeq, wireId, length, flags);
                n++;
                datagrams++;
                if (schedules[DUPLICATE].fires(t))
                {
                    final MemorySegment buffer = batch.buffer();
                    MemorySegment.copy(buffer, batch.slotOffset(slot), buffer, batch.slotOffset(slot + 1),
                        Math.min(length, datagram));
                    batch.setLength(slot + 1, length);
                    n++;
                    datagrams++;
                    log(EventType.DUPLICATE, t, packetSeq, 0);
                }
            }
        }
        return n + release(t, batch, slot + n);
    }

    /** Applies the seq events of step {@code t}. */
    private void moveSeq(final long t)
    {
        if (schedules[JUMP].fires(t))
        {
            final long from = seq;
            seq += impairments.seqJumpSamples();
            log(EventType.SEQ_JUMP, t, seq, from);
        }
        if (schedules[BACK].fires(t))
        {
            final long from = seq;
            seq = Math.max(0, seq - impairments.seqBackSamples());
            log(EventType.SEQ_BACK, t, seq, from);
        }
        if (schedules[RESET].fires(t))
        {
            final long from = seq;
            seq = impairments.resetToSeq();
            log(EventType.RESET, t, seq, from);
        }
    }

    /** Decides whether the packet of step {@code t} is lost, starting and ending loss periods. */
    private boolean lost(final long t, final long packetSeq)
    {
        if (lossEnd >= 0 && t >= lossEnd)
        {
            endLossPeriod();
        }
        if (lossEnd >= 0)
        {
            lossDropped++;
            return true;
        }
        if (schedules[OUTAGE].fires(t))
        {
            startLossPeriod(EventType.OUTAGE, t, packetSeq, impairments.outagePackets());
            return true;
        }
        if (schedules[BURST].fires(t))
        {
            startLossPeriod(EventType.BURST_LOSS, t, packetSeq,
                schedules[BURST].uniform(impairments.burstMinPackets(), impairments.burstMaxPackets()));
            return true;
        }
        if (schedules[LOSS].fires(t))
        {
            log(EventType.DROP, t, packetSeq, 0);
            return true;
        }
        return false;
    }

    private void startLossPeriod(final EventType type, final long t, final long packetSeq, final long packets)
    {
        lossType = type;
        lossStart = t;
        lossStartSeq = packetSeq;
        lossEnd = t + packets;
        lossDropped = 1;
    }

    private void endLossPeriod()
    {
        log(lossType, lossStart, lossStartSeq, lossDropped);
        lossEnd = -1;
    }

    private void hold(final long t, final long packetSeq, final int wireId, final int length, final int flags,
        final long release)
    {
        heldSeq[heldCount] = packetSeq;
        heldWireId[heldCount] = wireId;
        heldLength[heldCount] = length;
        heldFlags[heldCount] = flags;
        heldStep[heldCount] = t;
        heldRelease[heldCount] = release;
        heldCount++;
    }

    /** Writes the held packets due at step {@code t}, in the order they were held. */
    private int release(final long t, final MmsgBatch batch, final int slot)
    {
        int n = 0;
        int kept = 0;
        for (int i = 0; i < heldCount; i++)
        {
            if (heldRelease[i] <= t)
            {
                sendHeld(i, t, batch, slot + n);
                n++;
            }
            else
            {
                moveHeld(i, kept++);
            }
        }
        heldCount = kept;
        return n;
    }

    /**
     * At the end of the run: the held packets in the order they were held, logged as sent after step
     * {@code steps} (one past the last step), so the log tells them from those released in the last step.
     */
    private int releaseAll(final MmsgBatch batch, final int slot)
    {
        for (int i = 0; i < heldCount; i++)
        {
            sendHeld(i, step, batch, slot + i);
        }
        final int n = heldCount;
        heldCount = 0;
        return n;
    }

    private void sendHeld(final int i, final long t, final MmsgBatch batch, final int slot)
    {
        write(batch, slot, heldSeq[i], heldWireId[i], heldLength[i], heldFlags[i]);
        datagrams++;
        log(EventType.REORDER, heldStep[i], heldSeq[i], t);
    }

    private void moveHeld(final int from, final int to)
    {
        heldSeq[to] = heldSeq[from];
        heldWireId[to] = heldWireId[from];
        heldLength[to] = heldLength[from];
        heldFlags[to] = heldFlags[from];
        heldStep[to] = heldStep[from];
        heldRelease[to] = heldRelease[from];
    }

    private void write(final MmsgBatch batch, final int slot, final long packetSeq, final int wireId,
        final int length, final int flags)
    {
        writer.write(batch.buffer(), batch.slotOffset(slot), index, packetSeq, wireId, flags);
        batch.setLength(slot, length);
    }

    /** The step at which the fast path must stop: the earliest scheduled event, loss-period end or release. */
    private long nextScheduled()
    {
        if (lossEnd >= 0)
        {
            return step;
        }
        long next = Long.MAX_VALUE;
        for (final EventSchedule schedule : schedules)
        {
            next = Math.min(next, schedule.next());
        }
        for (int i = 0; i < heldCount; i++)
        {
            next = Math.min(next, heldRelease[i]);
        }
        return Math.max(next, firstStep);
    }

    private void log(final EventType type, final long t, final long packetSeq, final long value)
    {
        counts[type.ordinal()]++;
        truth.record(type, index, streamId, t, packetSeq, value);
    }

    /** Closes an open loss period and returns the stream's totals for the ground truth's {@code end} line. */
    Map<String, Object> finish()
    {
        if (!finished)
        {
            finished = true;
            if (lossEnd >= 0)
            {
                endLossPeriod();
            }
        }
        final Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("steps", Math.max(0, step - firstStep));
        totals.put("datagrams", datagrams);
        for (final EventType type : EventType.values())
        {
            totals.put(type.jsonName(), counts[type.ordinal()]);
        }
        totals.put("next_seq", seq);
        return totals;
    }

    /** How many events of a type this stream logged (loss periods count once each). */
    long count(final EventType type)
    {
        return counts[type.ordinal()];
    }
}
