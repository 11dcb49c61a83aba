package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.stages.receive.ReceiverContext;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Places one datagram: classify it ({@link PacketClassifier}), follow its stream ({@link StreamTracker}), find its
 * frame in the {@link FrameWindow}, reject duplicates through the presence map, and queue one copy per payload run to
 * its final offset in the {@code [freq][time][input]} frame ({@link FrameCompleter} knows the offsets). A packet goes
 * to its position on the receiver's timeline, {@code seq} plus its stream's re-alignment offset (0 until the stream
 * resets or jumps, see {@link StreamTracker}); a frame holds one offset per stream. Every
 * destination is checked against the frame's bounds before it is queued, so no header, however hostile, can write
 * outside a frame. Every datagram is counted in exactly one of packets, malformed, too old, duplicates or dropped
 * for back-pressure.
 */
public final class PacketPlacer
{
    private final PlacementPlan plan;
    private final PacketClassifier classifier;
    private final StreamTracker tracker;
    private final FrameWindow window;
    private final FrameCompleter completer;
    private final CopyQueue copies;
    private final ReceiveCounters counters;
    private final ReceiveEvents events;
    private final boolean[] owned;
    private final long samplesPerFrame;
    private final int samplesPerPacket;
    private final int freqsPerPacket;
    private final int inputsPerPacket;
    private final int frameShift;
    private final int rowShift;

    public PacketPlacer(final ReceiverContext context, final StreamTracker tracker, final FrameWindow window,
        final FrameCompleter completer, final CopyQueue copies, final ReceiveCounters counters,
        final ReceiveEvents events)
    {
        this.plan = context.plan();
        this.classifier = new PacketClassifier(plan);
        this.tracker = tracker;
        this.window = window;
        this.completer = completer;
        this.copies = copies;
        this.counters = counters;
        this.events = events;
        this.owned = new boolean[plan.numStreams()];
        for (final int stream : context.ownedStreams())
        {
            owned[stream] = true;
        }
        this.samplesPerFrame = plan.layout().samplesPerFrame();
        this.samplesPerPacket = plan.geometry().samplesPerPacket();
        this.freqsPerPacket = plan.geometry().freqsPerPacket();
        this.inputsPerPacket = plan.geometry().inputsPerPacket();
        this.frameShift = Long.bitCount(samplesPerFrame) == 1 ? Long.numberOfTrailingZeros(samplesPerFrame) : -1;
        this.rowShift = Integer.bitCount(samplesPerPacket) == 1 ? Integer.numberOfTrailingZeros(samplesPerPacket) : -1;
    }

    /** Places (or counts the rejection of) one datagram at an absolute address; drops it if no frame is free. */
    public void accept(final long address, final int length)
    {
        place(address, length, true);
    }

    /**
     * Like {@link #accept}, but for a source that can wait (a replay): if the datagram needs a frame and none is free
     * downstream, nothing is counted and false is returned; offer the same datagram again once a frame is free.
     * Repeating an offer is harmless: everything before the claim (following the stream, publishing the frames that
     * left the window) gives the same result the second time.
     */
    public boolean offer(final long address, final int length)
    {
        return place(address, length, false);
    }

    /** False only if the datagram needed a frame, none was free and {@code drop} is false (nothing counted). */
    private boolean place(final long address, final int length, final boolean drop)
    {
        final int stream = classifier.classify(address, length);
        if (stream < 0)
        {
            reject(address, length, stream);
            return true;
        }
        final long seq = classifier.seq();
        if (!owned[stream])
        {
            counters.increment(stream, ReceiveCounters.MALFORMED_UNKNOWN_STREAM);
            return true;
        }
        final int verdict = tracker.follow(stream, seq);
        if (verdict == StreamTracker.REJECTED)
        {
            return true;
        }
        if (verdict == StreamTracker.MOVED)
        {
            window.flagReset();
            final long from = tracker.movedFrom(stream);
            events.record(seq < from ? ReceiveEvents.RESET : ReceiveEvents.JUMP, plan.streamId(stream), from, seq);
        }
        // The position on the receiver's timeline: the counter itself until the stream moves, then re-aligned by a
        // whole number of frames (StreamTracker), so the time in the frame is the same.
        final long offset = tracker.offset(stream);
        final long position = seq + offset;
        if (position < 0)
        {
            // A stream re-aligned backwards (after a jump) stepping back behind the start of the timeline.
            counters.increment(stream, ReceiveCounters.TOO_OLD);
            return true;
        }
        final long frame = frameShift >= 0 ? position >>> frameShift : position / samplesPerFrame;
        final int timeInFrame = (int)(position - frame * samplesPerFrame);
        final int entry = window.entryFor(frame);
        if (entry == FrameWindow.BACKPRESSURE)
        {
            if (!drop)
            {
                return false;
            }
            window.flagBackpressure();
            counters.increment(stream, ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS);
            counters.add(stream, ReceiveCounters.DROPPED_BACKPRESSURE, samplesPerPacket);
            return true;
        }
        final MemorySegment meta = entry == FrameWindow.TOO_OLD ? null : window.metadata(entry);
        if (meta == null || !completer.claimOffset(meta, stream, offset))
        {
            counters.increment(stream, ReceiveCounters.TOO_OLD);
            return true;
        }
        // timeInFrame is in [0, T) by construction and S divides T; the run offsets were checked against the frame
        // size when the completer was built. This guard keeps that proof local: no header, however hostile, can make
        // a queued copy leave its frame.
        if (timeInFrame < 0 || timeInFrame + samplesPerPacket > samplesPerFrame)
        {
            throw new IllegalStateException("sample " + timeInFrame + " outside a frame of " + samplesPerFrame);
        }
        final int row = rowShift >= 0 ? timeInFrame >>> rowShift : timeInFrame / samplesPerPacket;
        final int runs = completer.firstRun(stream);
        if (meta.get(JAVA_BYTE, completer.presence(row, runs)) != 0)
        {
            counters.increment(stream, ReceiveCounters.DUPLICATES);
            return true;
        }
        for (int k = 0; k < freqsPerPacket; k++)
        {
            meta.set(JAVA_BYTE, completer.presence(row, runs + k), (byte)1);
        }
        completer.queueCells(address + PacketHeaderDescriptor.PAYLOAD_OFFSET, inputsPerPacket, window.address(entry),
            timeInFrame, stream);
        counters.increment(stream, ReceiveCounters.PACKETS);
        return true;
    }

    private void reject(final long address, final int length, final int code)
    {
        final int stream = classifier.streamOf(address, length);
        final int row = stream >= 0 ? stream : counters.unattributed();
        if (code == PacketClassifier.BAD_LENGTH)
        {
            counters.increment(row, ReceiveCounters.MALFORMED_LENGTH);
        }
        else if (code == PacketClassifier.UNKNOWN_STREAM)
        {
            counters.increment(counters.unattributed(), ReceiveCounters.MALFORMED_UNKNOWN_STREAM);
        }
        else if (code == PacketClassifier.FLAGS)
        {
            counters.increment(stream, ReceiveCounters.MALFORMED_FLAGS);
        }
        else
        {
            counters.increment(stream, ReceiveCounters.MALFORMED_OUT_OF_RANGE);
        }
    }

    /** Where each stream is: the frames' completion at the end of a run needs it. */
    public StreamTracker tracker()
    {
        return tracker;
    }
}
