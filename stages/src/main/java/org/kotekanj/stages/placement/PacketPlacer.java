package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;

import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.log.Log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Places one datagram: classify it, follow its stream (start alignment, resets, absurd jumps), find its frame in the
 * {@link FrameWindow}, reject duplicates through the presence map, and queue one copy per payload run to its final
 * offset in the {@code [freq][time][input]} frame. Every destination is checked against the frame's bounds before
 * it is queued, so no header, however hostile, can write outside a frame. Every datagram is counted in exactly one of
 * packets, malformed, too old or duplicates.
 */
public final class PacketPlacer
{
    private final PlacementPlan plan;
    private final PacketClassifier classifier;
    private final FrameWindow window;
    private final CopyQueue copies;
    private final ReceiveCounters counters;
    private final Log log;
    private final boolean[] owned;
    private final long[] maxSeq;
    private final boolean[] started;
    private final long[] jumpSeq;
    private final int[] jumpVotes;
    private final long samplesPerFrame;
    private final int samplesPerPacket;
    private final int freqsPerPacket;
    private final int inputsPerPacket;
    private final long rowStride;
    private final long startTolerance;
    private final long resetThreshold;
    private final long maxJump;
    private final int jumpConfirmations;
    private final int frameShift;
    private final int rowShift;
    private final long presenceOffset;
    private final long presenceRowStride;
    private final int[] presenceCell;
    private final long[] runOffset;

    /**
     * @param startTolerance     samples after a frame boundary within which a stream may start in that frame.
     * @param resetThreshold     a backwards jump of more than this many samples is an F-engine reset.
     * @param maxJump            a forward jump of more than this many samples is out of range, unless
     *                           {@code jumpConfirmations} packets in a row confirm it (then it counts as a reset).
     */
    public PacketPlacer(final PlacementPlan plan, final FrameWindow window, final CopyQueue copies,
        final ReceiveCounters counters, final int[] ownedStreams, final long startTolerance,
        final long resetThreshold, final long maxJump, final int jumpConfirmations, final Log log)
    {
        this.plan = plan;
        this.classifier = new PacketClassifier(plan);
        this.window = window;
        this.copies = copies;
        this.counters = counters;
        this.log = log;
        this.owned = new boolean[plan.numStreams()];
        for (final int stream : ownedStreams)
        {
            owned[stream] = true;
        }
        this.maxSeq = new long[plan.numStreams()];
        java.util.Arrays.fill(maxSeq, -1);
        this.started = new boolean[plan.numStreams()];
        this.jumpSeq = new long[plan.numStreams()];
        this.jumpVotes = new int[plan.numStreams()];
        this.samplesPerFrame = plan.layout().samplesPerFrame();
        this.samplesPerPacket = plan.geometry().samplesPerPacket();
        this.freqsPerPacket = plan.geometry().freqsPerPacket();
        this.inputsPerPacket = plan.geometry().inputsPerPacket();
        this.rowStride = plan.layout().paddedInputs();
        this.startTolerance = startTolerance;
        this.resetThreshold = resetThreshold;
        this.maxJump = maxJump;
        this.jumpConfirmations = jumpConfirmations;
        final long frameLength = plan.layout().samplesPerFrame();
        this.frameShift = Long.bitCount(frameLength) == 1 ? Long.numberOfTrailingZeros(frameLength) : -1;
        this.rowShift = Integer.bitCount(samplesPerPacket) == 1 ? Integer.numberOfTrailingZeros(samplesPerPacket) : -1;
        this.presenceOffset = FrameMetadataDescriptor.presenceOffset(plan.layout().numFreqs(), plan.numStreams());
        this.presenceRowStride = (long)plan.layout().numFreqs() * plan.numBlocks();
        // Per (stream, k): the frame offset of its run in time row 0, and its presence cell within a row.
        this.presenceCell = new int[plan.numStreams() * freqsPerPacket];
        this.runOffset = new long[plan.numStreams() * freqsPerPacket];
        final long frameBytes = plan.layout().frameBytes();
        for (int s = 0; s < plan.numStreams(); s++)
        {
            for (int k = 0; k < freqsPerPacket; k++)
            {
                final int freq = plan.freqIndex(s, k);
                presenceCell[s * freqsPerPacket + k] = freq * plan.numBlocks() + plan.inputBlock(s);
                final long offset = (long)freq * samplesPerFrame * rowStride + (long)plan.inputBlock(s) * inputsPerPacket;
                final long last = offset + (samplesPerFrame - 1) * rowStride + inputsPerPacket;
                if (freq < 0 || offset < 0 || last > frameBytes)
                {
                    throw new IllegalArgumentException("stream " + s + " slot " + k + " would place outside the frame");
                }
                runOffset[s * freqsPerPacket + k] = offset;
            }
        }
    }

    /** Places (or counts the rejection of) one datagram at an absolute address. */
    public void accept(final long address, final int length)
    {
        final long classified = classifier.classify(address, length);
        if (classified < 0)
        {
            reject(address, length, classified);
            return;
        }
        final int stream = PacketClassifier.stream(classified);
        final long seq = PacketClassifier.seq(classified);
        if (!owned[stream])
        {
            counters.increment(stream, ReceiveCounters.MALFORMED_UNKNOWN_STREAM);
            return;
        }
        if (!follow(stream, seq))
        {
            return;
        }
        final long frame = frameShift >= 0 ? seq >>> frameShift : seq / samplesPerFrame;
        final int timeInFrame = (int)(seq - frame * samplesPerFrame);
        if (!started[stream])
        {
            if (timeInFrame > startTolerance)
            {
                counters.increment(stream, ReceiveCounters.TOO_OLD);
                return;
            }
            started[stream] = true;
        }
        final int entry = window.entryFor(frame);
        if (entry == FrameWindow.TOO_OLD)
        {
            counters.increment(stream, ReceiveCounters.TOO_OLD);
            return;
        }
        if (entry == FrameWindow.BACKPRESSURE)
        {
            // Its frame could not be opened in time: the datagram counts as too old, its samples as back-pressure.
            counters.increment(stream, ReceiveCounters.TOO_OLD);
            counters.add(stream, ReceiveCounters.DROPPED_BACKPRESSURE, samplesPerPacket);
            return;
        }
        // timeInFrame is in [0, T) by construction and S divides T; the per-stream run offsets were checked against
        // the frame size when this placer was built. This guard keeps that proof local: no header, however
        // hostile, can make a queued copy leave its frame.
        if (timeInFrame < 0 || timeInFrame + samplesPerPacket > samplesPerFrame)
        {
            throw new IllegalStateException("sample " + timeInFrame + " outside a frame of " + samplesPerFrame);
        }
        final MemorySegment meta = window.metadata(entry);
        final int row = rowShift >= 0 ? timeInFrame >>> rowShift : timeInFrame / samplesPerPacket;
        final long rowPresence = presenceOffset + (long)row * presenceRowStride;
        final int runs = stream * freqsPerPacket;
        if (meta.get(JAVA_BYTE, rowPresence + presenceCell[runs]) != 0)
        {
            counters.increment(stream, ReceiveCounters.DUPLICATES);
            return;
        }
        for (int k = 0; k < freqsPerPacket; k++)
        {
            meta.set(JAVA_BYTE, rowPresence + presenceCell[runs + k], (byte)1);
        }
        final long frameRow = window.address(entry) + (long)timeInFrame * rowStride;
        long src = address + PacketHeaderDescriptor.PAYLOAD_OFFSET;
        for (int t = 0; t < samplesPerPacket; t++)
        {
            final long dstRow = frameRow + t * rowStride;
            for (int k = 0; k < freqsPerPacket; k++)
            {
                copies.add(src, dstRow + runOffset[runs + k], inputsPerPacket);
                src += inputsPerPacket;
            }
        }
        counters.increment(stream, ReceiveCounters.PACKETS);
    }

    /**
     * Tracks a stream's position: detects resets (large backwards jumps) and absurd forward jumps. Returns false if
     * the packet must not be placed (already counted).
     */
    private boolean follow(final int stream, final long seq)
    {
        final long max = maxSeq[stream];
        if (max >= 0 && seq + resetThreshold < max)
        {
            counters.increment(stream, ReceiveCounters.RESETS);
            log.warn("F-engine reset on stream " + plan.streamId(stream) + ": seq went from " + max + " back to " + seq);
            restartStream(stream, seq);
            if (seq / samplesPerFrame < window.lowestOpenOrNext())
            {
                window.flagReset();
                window.restart();
            }
            return true;
        }
        if (max >= 0 && seq > max + maxJump)
        {
            if (jumpVotes[stream] > 0 && seq > jumpSeq[stream] && seq - jumpSeq[stream] <= maxJump)
            {
                jumpVotes[stream]++;
            }
            else
            {
                jumpVotes[stream] = 1;
            }
            jumpSeq[stream] = seq;
            if (jumpVotes[stream] < jumpConfirmations)
            {
                counters.increment(stream, ReceiveCounters.MALFORMED_OUT_OF_RANGE);
                return false;
            }
            counters.increment(stream, ReceiveCounters.RESETS);
            log.warn("stream " + plan.streamId(stream) + " jumped forward from " + max + " to " + seq +
                " (confirmed by " + jumpConfirmations + " packets): following it");
            restartStream(stream, seq);
            return true;
        }
        jumpVotes[stream] = 0;
        if (seq > max)
        {
            maxSeq[stream] = seq;
        }
        return true;
    }

    private void restartStream(final int stream, final long seq)
    {
        maxSeq[stream] = seq;
        started[stream] = false;
        jumpVotes[stream] = 0;
    }

    private void reject(final long address, final long length, final long code)
    {
        final int stream = classifier.streamOf(address, (int)length);
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

    /** Per stream, the sample counter after the newest packet seen (0 if none): where each stream's data ends. */
    public long[] endOfStreams()
    {
        final long[] end = new long[maxSeq.length];
        for (int s = 0; s < end.length; s++)
        {
            end[s] = maxSeq[s] < 0 ? 0 : maxSeq[s] + samplesPerPacket;
        }
        return end;
    }
}
