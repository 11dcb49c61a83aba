package org.kotekanj.stages.placement;

import java.util.Arrays;

import org.kotekanj.stages.receive.ReceiverContext;

/**
 * Follows each stream's sample counter: where it starts (a stream may only start near a frame boundary), and when it
 * moves discontinuously. The rule is symmetric: a packet far behind its stream ({@code reset_threshold_samples}) or
 * far ahead of it ({@code max_seq_jump_samples}) is believed only when {@code jump_confirmations} consecutive packets
 * of that stream agree on the new position. Until then it is rejected (too old if behind, out of range if ahead), so
 * one stale or corrupt datagram can never move a stream, and a stream that does move never moves the others.
 *
 * <p>A confirmed move re-aligns the stream onto the receiver's timeline: placement position = {@code seq +
 * offset(stream)}, with a whole number of frames as offset, chosen so the stream's new data lands in the first frame
 * after every open one. Frames therefore keep strictly increasing {@code first_seq}, the stream that moved is placed
 * again at once, and the other streams go on untouched. Streams that move together (all links of one F-engine
 * restarting its counter) must stay time-aligned for the correlator, so the offset is an epoch shared by every
 * receive core of the buffer ({@link SharedTimeline}): the first stream to confirm a move chooses it, after every
 * frame any core has opened, and every later move whose new counter lands within {@code reset_threshold_samples}
 * of the receiver's newest sample with that epoch reuses it, whichever core follows that stream. The samples of the
 * moved stream between its last old packet and its re-aligned start count as lost (at most the window's worth).
 *
 * <p>{@link #follow} returns what to do with the packet; a confirmed move is the value {@link #MOVED}, and the caller
 * flags the frames (this class touches no frame). Counts rejects and moves in the stream's {@link ReceiveCounters}.
 */
public final class StreamTracker
{
    /** Place the packet. */
    public static final int FOLLOW = 0;
    /** Place the packet: it confirmed a reset or a jump of its stream (counted in resets). */
    public static final int MOVED = 1;
    /** Do not place it: already counted (too old, or out of range). */
    public static final int REJECTED = -1;

    private final ReceiveCounters counters;
    private final long samplesPerFrame;
    private final int samplesPerPacket;
    private final long startTolerance;
    private final long resetThreshold;
    private final long maxJump;
    private final int confirmations;
    private final long[] maxSeq;
    private final long[] end;
    private final long[] movedFrom;
    private final boolean[] started;
    private final long[] candidate;
    private final int[] votes;
    private final long[] offset;
    private final SharedTimeline timeline;
    private long head = -1;

    /**
     * @param timeline shared by every receive core filling the same buffer: the epoch a move re-aligns onto.
     */
    public StreamTracker(final ReceiverContext context, final ReceiveCounters counters, final SharedTimeline timeline)
    {
        final PlacementPlan plan = context.plan();
        this.counters = counters;
        this.timeline = timeline;
        this.samplesPerFrame = plan.layout().samplesPerFrame();
        this.samplesPerPacket = plan.geometry().samplesPerPacket();
        this.startTolerance = context.startToleranceSamples();
        this.resetThreshold = context.resetThresholdSamples();
        this.maxJump = context.maxSeqJumpSamples();
        this.confirmations = context.jumpConfirmations();
        final int streams = plan.numStreams();
        maxSeq = new long[streams];
        Arrays.fill(maxSeq, -1);
        end = new long[streams];
        movedFrom = new long[streams];
        started = new boolean[streams];
        candidate = new long[streams];
        votes = new int[streams];
        offset = new long[streams];
    }

    /**
     * Follows one packet of {@code stream} carrying {@code seq}; returns {@link #FOLLOW}, {@link #MOVED} or
     * {@link #REJECTED}. A packet to place goes to position {@code seq + offset(stream)}.
     */
    public int follow(final int stream, final long seq)
    {
        final long max = maxSeq[stream];
        int verdict = FOLLOW;
        if (max >= 0 && (seq + resetThreshold < max || seq - max > maxJump))
        {
            if (!confirm(stream, seq))
            {
                counters.increment(stream, seq < max ? ReceiveCounters.TOO_OLD : ReceiveCounters.MALFORMED_OUT_OF_RANGE);
                return REJECTED;
            }
            counters.increment(stream, ReceiveCounters.RESETS);
            movedFrom[stream] = max;
            maxSeq[stream] = seq;
            offset[stream] = realign(stream, seq);
            started[stream] = false;
            verdict = MOVED;
        }
        else
        {
            votes[stream] = 0;
            if (seq > max)
            {
                maxSeq[stream] = seq;
            }
        }
        if (!started[stream])
        {
            final long timeInFrame = seq % samplesPerFrame;
            if (timeInFrame > startTolerance)
            {
                counters.increment(stream, ReceiveCounters.TOO_OLD);
                return REJECTED;
            }
            started[stream] = true;
        }
        final long position = seq + offset[stream];
        end[stream] = Math.max(end[stream], position + samplesPerPacket);
        head = Math.max(head, position);
        return verdict;
    }

    /**
     * The offset that places a stream moved to {@code seq} on the receiver's timeline, from the epoch shared by every
     * receive core of the buffer ({@link SharedTimeline#realign}). A stream that moves twice is two events: the
     * second never reuses its own epoch.
     */
    private long realign(final int stream, final long seq)
    {
        return timeline.realign(seq, offset[stream], head, samplesPerFrame, resetThreshold);
    }

    /** Samples added to a stream's counter to place it (0 until it moves; a whole number of frames). */
    public long offset(final int stream)
    {
        return offset[stream];
    }

    /** One more vote for a new position; true once {@code jump_confirmations} consecutive packets agree. */
    private boolean confirm(final int stream, final long seq)
    {
        final long previous = candidate[stream];
        if (votes[stream] > 0 && seq > previous && seq - previous <= maxJump)
        {
            votes[stream]++;
        }
        else
        {
            votes[stream] = 1;
        }
        candidate[stream] = seq;
        if (votes[stream] < confirmations)
        {
            return false;
        }
        votes[stream] = 0;
        return true;
    }

    /** Where a stream was (its newest seq) before its latest confirmed reset or jump. */
    public long movedFrom(final int stream)
    {
        return movedFrom[stream];
    }

    /**
     * The position after the newest packet followed, per stream (0 if none): where each stream's data ends.
     * A reset does not move it back, so frames assembled before a reset are still completed up to where they ended.
     */
    public long endOfStream(final int stream)
    {
        return end[stream];
    }
}
