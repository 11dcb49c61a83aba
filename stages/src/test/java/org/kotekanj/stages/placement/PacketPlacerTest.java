package org.kotekanj.stages.placement;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.TplusESignal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketPlacerTest
{
    /** 2 samples x 4 freqs x 32 inputs per packet, 3 streams = 3 input blocks of the same 4 freqs: 96 inputs, 128 padded. */
    private static final PacketGeometry GEOMETRY = new PacketGeometry(PacketGeometry.GENERIC, 2, 4, 32, 10, true,
        PacketHeaderDescriptor.DEFAULT_FLAG_REJECT_MASK, 2560, 800, -0.390625);
    private static final StreamTable TABLE = new StreamTable(GEOMETRY, List.of(
        new StreamSpec(StreamId.of(0, 1, 0), 0, new int[] {5, 6, 7, 8}),
        new StreamSpec(StreamId.of(2, 1, 0), 1, new int[] {5, 6, 7, 8}),
        new StreamSpec(StreamId.of(4, 1, 0), 2, new int[] {5, 6, 7, 8})));
    private static final int T = 16;

    private final TplusESignal signal = new TplusESignal();
    private final TestTraffic traffic = new TestTraffic(TABLE, signal);
    private final List<PlacementRig> rigs = new ArrayList<>();

    @AfterEach
    void close()
    {
        rigs.forEach(PlacementRig::close);
        traffic.close();
    }

    private PlacementRig rig(final int numFrames, final int window, final CopyEngine engine)
    {
        final PlacementRig rig = new PlacementRig(TABLE, T, numFrames, window, signal, engine);
        rigs.add(rig);
        return rig;
    }

    /** Every packet of every stream for samples [from, to), in send order. */
    private List<MemorySegment> packets(final long from, final long to)
    {
        final List<MemorySegment> list = new ArrayList<>();
        for (long seq = from; seq < to; seq += GEOMETRY.samplesPerPacket())
        {
            for (int s = 0; s < TABLE.streams().size(); s++)
            {
                list.add(traffic.packet(s, seq));
            }
        }
        return list;
    }

    /** Frames must come out strictly in time order, each once: what the correlator and the baseband ring trust. */
    private static void assertStrictlyIncreasing(final List<Long> firstSeqs)
    {
        for (int i = 1; i < firstSeqs.size(); i++)
        {
            assertTrue(firstSeqs.get(i) > firstSeqs.get(i - 1), "frames out of time order or twice: " + firstSeqs);
        }
    }

    @Test
    void shouldCountASingleStaleDatagramTooOldWithoutResettingTheWindow()
    {
        final PlacementRig rig = rig(16, 2, new JavaCopyEngine());
        rig.place(packets(100 * T, 102 * T));
        rig.place(traffic.packet(0, 0));          // one stale datagram, far behind its stream
        rig.place(packets(102 * T, 104 * T));
        final long[] lost = new long[1];
        final List<Integer> flags = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        final List<Long> frames = rig.drainFrames((frame, meta) ->
        {
            lost[0] += rig.verify(frame, meta);
            flags.add(FrameMetadataDescriptor.flags(meta));
            for (int s = 0; s < TABLE.streams().size(); s++)
            {
                offsets.add(FrameMetadataDescriptor.seqOffset(meta, s));
            }
        });
        assertEquals(List.of(100L * T, 101L * T, 102L * T, 103L * T), frames);
        assertEquals(0, rig.counters.sum(ReceiveCounters.RESETS));
        assertEquals(0, flags.stream().mapToInt(Integer::intValue).reduce(0, (a, b) -> a | b), "nothing flagged");
        assertEquals(List.of(0L), offsets.stream().distinct().toList(), "nothing re-aligned");
        assertEquals(1, rig.counters.total(0, ReceiveCounters.TOO_OLD));
        assertEquals(0, rig.counters.sum(ReceiveCounters.LOST_SAMPLES));
        assertEquals(0, lost[0]);
    }

    @Test
    void shouldConfirmABackwardResetByConsecutivePacketsAndReAlignOnlyThatStream()
    {
        final PlacementRig rig = rig(16, 2, new JavaCopyEngine());
        rig.place(packets(100 * T, 102 * T));
        // Stream 0 resets to seq 0 (its F-engine restarted) and sends one frame's worth; streams 1 and 2 go on.
        final List<MemorySegment> after = new ArrayList<>();
        for (long seq = 102 * T; seq < 104 * T; seq += GEOMETRY.samplesPerPacket())
        {
            if (seq < 103 * T)
            {
                after.add(traffic.packet(0, seq - 102 * T));
            }
            after.add(traffic.packet(1, seq));
            after.add(traffic.packet(2, seq));
        }
        rig.place(after);
        final List<Integer> flags = new ArrayList<>();
        final List<long[]> offsets = new ArrayList<>();
        final List<Long> frames = rig.drainFrames((frame, meta) ->
        {
            rig.verify(frame, meta);    // stream 0's bytes checked at its own counter: byte-exact where it was mapped
            flags.add(FrameMetadataDescriptor.flags(meta));
            offsets.add(new long[] {FrameMetadataDescriptor.seqOffset(meta, 0), FrameMetadataDescriptor.seqOffset(meta, 1),
                FrameMetadataDescriptor.seqOffset(meta, 2)});
        });
        assertStrictlyIncreasing(frames);
        assertEquals(List.of(100L * T, 101L * T, 102L * T, 103L * T), frames);
        assertEquals(1, rig.counters.total(0, ReceiveCounters.RESETS));
        assertEquals(0, rig.counters.total(1, ReceiveCounters.RESETS) + rig.counters.total(2, ReceiveCounters.RESETS));
        // Confirmed by its 4th packet (seq 6) while frame 102 was the newest open one: mapped into frame 103.
        assertEquals(103L * T, rig.placement.tracker().offset(0));
        assertEquals(3, rig.counters.total(0, ReceiveCounters.TOO_OLD), "only the unconfirmed packets");
        assertEquals(2 * T / 2 + 5, rig.counters.total(0, ReceiveCounters.PACKETS), "placed again after the reset");
        assertEquals(T + 6, rig.counters.total(0, ReceiveCounters.LOST_SAMPLES), "frame 102 and 103's first 6 samples");
        assertEquals(0, rig.counters.total(1, ReceiveCounters.LOST_SAMPLES) +
            rig.counters.total(2, ReceiveCounters.LOST_SAMPLES), "the other streams are not re-aligned");
        for (int f = 0; f < 4; f++)
        {
            assertEquals(f == 3 ? 103L * T : 0, offsets.get(f)[0], "stream 0 offset in frame " + f);
            assertEquals(0, offsets.get(f)[1] | offsets.get(f)[2], "streams 1 and 2 never move");
            assertEquals(f == 3, (flags.get(f) & FrameMetadataDescriptor.FLAG_REALIGNED) != 0, "frame " + f);
        }
        assertEquals(FrameMetadataDescriptor.FLAG_RESET, flags.get(2) & FrameMetadataDescriptor.FLAG_RESET);
        assertEquals(FrameMetadataDescriptor.FLAG_RESET, flags.get(3) & FrameMetadataDescriptor.FLAG_RESET);
    }

    @Test
    void shouldBoundTheLossOfAConfirmedForwardJumpByWhatTheWindowHolds()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        rig.place(packets(0, T));
        final long jump = 1L << 40;
        rig.place(packets(jump, jump + T));
        final List<Long> offsets = new ArrayList<>();
        final List<Long> frames = rig.drainFrames((frame, meta) ->
        {
            rig.verify(frame, meta);
            offsets.add(FrameMetadataDescriptor.seqOffset(meta, 2));
        });
        assertStrictlyIncreasing(frames);
        // The jump re-aligns the streams (together, one offset) into the frame after the open one: no frame skipped.
        assertEquals(List.of(0L, (long)T), frames);
        assertEquals(List.of(0L, T - jump), offsets);
        for (int s = 0; s < TABLE.streams().size(); s++)
        {
            assertEquals(1, rig.counters.total(s, ReceiveCounters.RESETS), "the jump is an event");
            assertEquals(T - jump, rig.placement.tracker().offset(s), "one common offset");
            // The unconfirmed first three packets (6 samples), not the 2^40 samples jumped over.
            assertEquals(6, rig.counters.total(s, ReceiveCounters.LOST_SAMPLES), "stream " + s);
        }
    }

    @Test
    void shouldFollowTheWhole48BitSequenceCounter()
    {
        for (final long start : new long[] {1L << 47, (1L << 48) - 2 * T})
        {
            final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
            rig.place(packets(start, start + 2 * T));
            final long[] lost = new long[1];
            final List<Long> frames = rig.drainFrames((frame, meta) -> lost[0] += rig.verify(frame, meta));
            assertEquals(List.of(start, start + T), frames, "from " + start);
            assertEquals(2 * T / 2 * 3, rig.counters.sum(ReceiveCounters.PACKETS));
            assertEquals(0, lost[0]);
        }
    }

    @Test
    void shouldKeepAStormOfResetsOffTheHotPathLogAndCountEveryOne()
    {
        final java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream captured = new java.io.PrintStream(lines, true);
        org.kotekanj.log.Log.redirect(captured);
        try
        {
            final PlacementRig rig = new PlacementRig(TABLE, T, 16, 2, signal, new JavaCopyEngine(),
                new org.kotekanj.log.Log("/recv", org.kotekanj.log.Log.Level.INFO));
            rigs.add(rig);
            // Stream 0 alternates, 100 times, between seq 0 and 2^30: each move confirmed by 4 packets.
            for (int storm = 0; storm < 100; storm++)
            {
                final long at = (storm % 2 == 0 ? 1L << 30 : 0) + 8L * storm;
                for (int p = 0; p < 4; p++)
                {
                    rig.place(traffic.packet(0, at + 2L * p));
                }
            }
            final int logged = lines.toString().split("\n", -1).length - 1;
            rig.events.drain();
            rig.counters.publish();
            assertEquals(100 - 1, rig.counters.total(0, ReceiveCounters.RESETS), "every confirmed move counted");
            assertEquals(0, logged, "nothing written by the receive thread itself");
            final String[] text = lines.toString().split("\n");
            assertTrue(text.length <= 2, "one line per kind of event per interval, found " + text.length);
            final List<String> distinct = new ArrayList<>();
            final List<Integer> counts = new ArrayList<>();
            rig.events.readErrors((count, first, last, encoded) ->
            {
                distinct.add(encoded);
                counts.add(count);
            });
            assertEquals(2, distinct.size(), "one distinct entry per kind of event and stream: " + distinct);
            assertEquals(99, counts.stream().mapToInt(Integer::intValue).sum());
        }
        finally
        {
            org.kotekanj.log.Log.redirect(System.err);
        }
    }

    @Test
    void shouldPlaceEveryByteOfCompleteFrames()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        rig.place(packets(3 * T, 7 * T));
        final long[] lost = new long[1];
        final List<Long> frames = rig.drainFrames((frame, meta) -> lost[0] += rig.verify(frame, meta));
        assertEquals(List.of(3L * T, 4L * T, 5L * T, 6L * T), frames);
        assertEquals(0, lost[0]);
        assertEquals(4 * T / 2 * 3, rig.counters.sum(ReceiveCounters.PACKETS));
        assertEquals(4 * T / 2 * 3 * GEOMETRY.payloadBytes(), rig.counters.sum(ReceiveCounters.BYTES));
        assertEquals(0, rig.counters.sum(ReceiveCounters.LOST_SAMPLES));
    }

    @Test
    void shouldFillAndFlagLostPacketsAndCountTheirSamples()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        final List<MemorySegment> all = packets(0, 2 * T);
        final List<MemorySegment> kept = new ArrayList<>(all);
        kept.remove(7);   // stream 1 at seq 4
        kept.remove(0);   // stream 0 at seq 0
        rig.place(kept);
        final long[] lost = new long[1];
        rig.drainFrames((frame, meta) ->
        {
            lost[0] += rig.verify(frame, meta);
            if (FrameMetadataDescriptor.firstSeq(meta) == 0)
            {
                assertTrue(!FrameMetadataDescriptor.present(meta, 0, 0, 0));
                assertTrue(!FrameMetadataDescriptor.present(meta, 2, 3, 1));
                assertEquals(8, FrameMetadataDescriptor.lostCells(meta));
                assertEquals(4, FrameMetadataDescriptor.lostSamples(meta, 0), "rows 0 and 2 each miss a block");
            }
        });
        assertEquals(2 * 4, lost[0]);
        assertEquals(2, rig.counters.total(0, ReceiveCounters.LOST_SAMPLES));
        assertEquals(2, rig.counters.total(1, ReceiveCounters.LOST_SAMPLES));
        assertEquals(0, rig.counters.total(2, ReceiveCounters.LOST_SAMPLES));
    }

    @Test
    void shouldPlaceLatePacketsInsideTheWindowAndCountOlderOnesTooOld()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        final List<MemorySegment> frame0 = packets(0, T);
        final List<MemorySegment> frame1 = packets(T, 2 * T);
        final List<MemorySegment> frame2 = packets(2 * T, 3 * T);
        final MemorySegment late = frame0.remove(4);
        rig.place(frame0);
        rig.place(frame1);
        rig.place(late);                 // frame 0 still open (window of 2): placed
        rig.place(frame2);               // opens frame 2, publishes frame 0
        rig.place(traffic.packet(0, 2)); // frame 0 again: published, too old
        final long[] lost = new long[1];
        assertEquals(List.of(0L, (long)T, 2L * T), rig.drainFrames((f, m) -> lost[0] += rig.verify(f, m)));
        assertEquals(0, lost[0]);
        assertEquals(1, rig.counters.sum(ReceiveCounters.TOO_OLD));
        assertEquals(3 * T / 2 * 3, rig.counters.sum(ReceiveCounters.PACKETS));
    }

    @Test
    void shouldCountDuplicatesWithoutTouchingData()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        rig.place(packets(0, T));
        final MemorySegment corrupt = traffic.packet(1, 6);
        corrupt.asSlice(PacketHeaderDescriptor.PAYLOAD_OFFSET, GEOMETRY.payloadBytes()).fill((byte)0x11);
        rig.place(corrupt, traffic.packet(2, 0));
        rig.drainFrames(rig::verify);
        assertEquals(2, rig.counters.sum(ReceiveCounters.DUPLICATES));
        assertEquals(T / 2 * 3, rig.counters.sum(ReceiveCounters.PACKETS));
    }

    @Test
    void shouldRejectEveryMalformedCategoryIntoItsOwnCounter()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        final int length = GEOMETRY.datagramBytes();
        rig.place(
            traffic.packet(TABLE.streams().get(0).streamId(), 0, 0, length - 1, 0),          // short
            traffic.packet(TABLE.streams().get(0).streamId(), 0, 0, length + 7, 0),          // long
            traffic.packet(TABLE.streams().get(1).streamId(), 1, 0, 3, 0),                   // too short for a header
            traffic.packet(StreamId.of(9, 9, 9), 0, 0, length, 0),                           // unknown stream
            traffic.packet(TABLE.streams().get(2).streamId(), 2, 0, length, 0x100),          // rejected flag
            traffic.packet(TABLE.streams().get(2).streamId(), 2, 0, length, 0x1),            // harmless flag
            traffic.packet(TABLE.streams().get(1).streamId(), 1, 3, length, 0));             // seq not a packet start
        rig.counters.publish();
        assertEquals(2, rig.counters.total(0, ReceiveCounters.MALFORMED_LENGTH));
        assertEquals(1, rig.counters.total(rig.counters.unattributed(), ReceiveCounters.MALFORMED_LENGTH));
        assertEquals(1, rig.counters.total(rig.counters.unattributed(), ReceiveCounters.MALFORMED_UNKNOWN_STREAM));
        assertEquals(1, rig.counters.total(2, ReceiveCounters.MALFORMED_FLAGS));
        assertEquals(1, rig.counters.total(1, ReceiveCounters.MALFORMED_OUT_OF_RANGE));
        assertEquals(1, rig.counters.sum(ReceiveCounters.PACKETS));
    }

    @Test
    void shouldReAlignStreamsThatResetTogetherByOneCommonOffset()
    {
        final PlacementRig rig = rig(16, 2, new JavaCopyEngine());
        rig.place(packets(100 * T, 102 * T));
        rig.place(packets(0, 4 * T));           // the F-engine restarts its counter: every link resets
        final List<long[]> offsets = new ArrayList<>();
        final List<Integer> flags = new ArrayList<>();
        final List<Long> frames = rig.drainFrames((frame, meta) ->
        {
            rig.verify(frame, meta);
            flags.add(FrameMetadataDescriptor.flags(meta));
            offsets.add(new long[] {FrameMetadataDescriptor.seqOffset(meta, 0), FrameMetadataDescriptor.seqOffset(meta, 1),
                FrameMetadataDescriptor.seqOffset(meta, 2)});
        });
        assertStrictlyIncreasing(frames);
        assertEquals(List.of(100L * T, 101L * T, 102L * T, 103L * T, 104L * T, 105L * T), frames, "never again");
        assertEquals(3, rig.counters.sum(ReceiveCounters.RESETS));
        for (int s = 0; s < TABLE.streams().size(); s++)
        {
            assertEquals(102L * T, rig.placement.tracker().offset(s), "stream " + s + ": the epoch of the first to confirm");
            assertEquals(3, rig.counters.total(s, ReceiveCounters.TOO_OLD), "stream " + s + ": unconfirmed packets");
            assertEquals(6, rig.counters.total(s, ReceiveCounters.LOST_SAMPLES), "stream " + s);
        }
        for (int f = 2; f < frames.size(); f++)
        {
            assertEquals(List.of(102L * T), java.util.Arrays.stream(offsets.get(f)).boxed().distinct().toList(),
                "the input blocks of frame " + f + " stay time-aligned");
            assertEquals(FrameMetadataDescriptor.FLAG_REALIGNED, flags.get(f) & FrameMetadataDescriptor.FLAG_REALIGNED);
        }
        assertEquals(2 * T / 2 * 3 + (4 * T / 2 - 3) * 3, rig.counters.sum(ReceiveCounters.PACKETS));
    }

    @Test
    void shouldNeverMixTwoOffsetsOfOneStreamInAFrame()
    {
        final PlacementRig rig = rig(16, 2, new JavaCopyEngine());
        rig.place(packets(100 * T, 101 * T));
        rig.place(traffic.packet(0, 0), traffic.packet(0, 2), traffic.packet(0, 4), traffic.packet(0, 6));
        assertEquals(101L * T, rig.placement.tracker().offset(0), "stream 0 starts over in frame 101");
        rig.place(traffic.packet(1, 101 * T), traffic.packet(1, 101 * T + 2));   // stream 1's old timeline, frame 101
        // Stream 1 resets with stream 0 and takes its epoch; its confirming packet maps into frame 101, which holds
        // stream 1's old-timeline data: not placed there (too old), the rest goes to frame 102.
        for (long seq = 8; seq < 2 * T; seq += 2)
        {
            rig.place(traffic.packet(1, seq));
            rig.place(traffic.packet(0, seq));
        }
        final List<long[]> offsets = new ArrayList<>();
        final List<Long> frames = rig.drainFrames((frame, meta) ->
        {
            rig.verify(frame, meta);
            offsets.add(new long[] {FrameMetadataDescriptor.seqOffset(meta, 0), FrameMetadataDescriptor.seqOffset(meta, 1)});
        });
        assertStrictlyIncreasing(frames);
        assertEquals(List.of(100L * T, 101L * T, 102L * T), frames);
        assertEquals(101L * T, rig.placement.tracker().offset(1), "one epoch for both");
        assertEquals(4, rig.counters.total(1, ReceiveCounters.TOO_OLD), "3 unconfirmed and the one that would mix");
        assertEquals(0, offsets.get(1)[1], "frame 101 keeps stream 1's old offset");
        assertEquals(101L * T, offsets.get(2)[1]);
        assertEquals(101L * T, offsets.get(1)[0]);
        assertEquals(T / 2 + 2 + 8, rig.counters.total(1, ReceiveCounters.PACKETS));
    }

    @Test
    void shouldNeverBlockWhenDownstreamIsFullAndCountBackpressure()
    {
        final PlacementRig rig = rig(3, 1, new JavaCopyEngine());
        rig.place(packets(0, 6 * T));
        rig.counters.publish();
        // Three frames fit the buffer; the window publishes two, holds the third, and the rest find no free frame.
        final long placed = rig.counters.sum(ReceiveCounters.PACKETS);
        assertEquals(3 * T / 2 * 3, placed);
        assertEquals(0, rig.counters.sum(ReceiveCounters.TOO_OLD), "a slow consumer is not a late packet");
        final long dropped = rig.counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS);
        assertEquals(3 * T / 2 * 3, dropped);
        assertEquals(dropped * 2, rig.counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE));
        rig.drainFrames(rig::verify);
    }

    @Test
    void shouldFlagTheFrameAfterDatagramsDroppedForBackpressure()
    {
        final PlacementRig rig = rig(3, 1, new JavaCopyEngine());
        rig.place(packets(0, 4 * T));
        rig.consumer.tryAcquire();
        rig.consumer.release();
        rig.place(packets(4 * T, 5 * T));
        final List<Integer> flags = new ArrayList<>();
        rig.drainFrames((frame, meta) -> flags.add(FrameMetadataDescriptor.flags(meta)));
        assertEquals(List.of(0, 0, FrameMetadataDescriptor.FLAG_BACKPRESSURE), flags,
            "frame 3's datagrams were dropped, so frame 4, the next to open, says so");
    }

    /** A replay offers a datagram; with no free frame it is neither placed nor counted, and is offered again later. */
    @Test
    void shouldHoldAnOfferedDatagramThatFindsNoFreeFrameAndPlaceItWhenOneIsFree()
    {
        final PlacementRig rig = rig(3, 1, new JavaCopyEngine());
        final List<MemorySegment> datagrams = packets(0, 6 * T);
        final List<Long> firstSeqs = new ArrayList<>();
        int next = 0;
        int refused = 0;
        while (next < datagrams.size())
        {
            final MemorySegment datagram = datagrams.get(next);
            if (rig.placement.offer(datagram.address(), (int)datagram.byteSize()))
            {
                next++;
                continue;
            }
            refused++;
            rig.placement.flush();
            rig.counters.publish();
            assertEquals(next, rig.counters.sum(ReceiveCounters.PACKETS), "nothing counted for a refused offer");
            final int slot = rig.consumer.tryAcquire();
            assertTrue(slot >= 0, "a refused offer means downstream holds every frame");
            firstSeqs.add(FrameMetadataDescriptor.firstSeq(rig.consumer.metadata(slot)));
            assertEquals(0, rig.verify(rig.consumer.frame(slot), rig.consumer.metadata(slot)));
            assertEquals(0, FrameMetadataDescriptor.flags(rig.consumer.metadata(slot)));
            rig.consumer.release();
        }
        rig.placement.flush();
        firstSeqs.addAll(rig.drainFrames((frame, meta) ->
        {
            assertEquals(0, rig.verify(frame, meta));
            assertEquals(0, FrameMetadataDescriptor.flags(meta));
        }));
        assertTrue(refused > 0, "the buffer of 3 frames filled");
        assertEquals(List.of(0L, (long)T, 2L * T, 3L * T, 4L * T, 5L * T), firstSeqs);
        assertEquals(datagrams.size(), rig.counters.sum(ReceiveCounters.PACKETS));
        assertEquals(0, rig.counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS));
        assertEquals(0, rig.counters.sum(ReceiveCounters.LOST_SAMPLES));
    }

    @Test
    void shouldIgnoreAbsurdJumpsUntilConfirmed()
    {
        final PlacementRig rig = rig(8, 2, new JavaCopyEngine());
        rig.place(packets(0, T));
        rig.place(traffic.packet(0, 1L << 40));
        rig.counters.publish();
        assertEquals(1, rig.counters.total(0, ReceiveCounters.MALFORMED_OUT_OF_RANGE));
        assertEquals(T / 2 * 3, rig.counters.sum(ReceiveCounters.PACKETS));
        rig.drainFrames(rig::verify);
    }

    @Test
    void shouldProduceIdenticalFramesWithStreamingAndJavaCopies()
    {
        final CopyEngine streaming = StreamingCopyEngine.load();
        org.junit.jupiter.api.Assumptions.assumeTrue(streaming != null, "native copy helper not built here");
        final PlacementRig plain = rig(8, 2, new JavaCopyEngine());
        final PlacementRig streamed = rig(8, 2, streaming);
        final List<MemorySegment> traffic = packets(0, 4 * T);
        traffic.remove(5);
        traffic.add(2, traffic.remove(9));
        plain.place(traffic);
        streamed.place(traffic);
        final List<byte[]> javaFrames = new ArrayList<>();
        plain.drainFrames((frame, meta) -> javaFrames.add(frame.toArray(ValueLayout.JAVA_BYTE)));
        final List<byte[]> nativeFrames = new ArrayList<>();
        streamed.drainFrames((frame, meta) ->
        {
            streamed.verify(frame, meta);
            nativeFrames.add(frame.toArray(ValueLayout.JAVA_BYTE));
        });
        assertEquals(javaFrames.size(), nativeFrames.size());
        for (int i = 0; i < javaFrames.size(); i++)
        {
            org.junit.jupiter.api.Assertions.assertArrayEquals(javaFrames.get(i), nativeFrames.get(i), "frame " + i);
        }
    }

    @Test
    void shouldPlaceStreamsWhoseFrequenciesAreNotEvenlyApartInTheFrame()
    {
        // Stream 0's slots land at frame frequencies 3, 0, 2, 1 (one queue entry per slot), stream 1's evenly apart
        // (one entry per packet); both byte-exact, with a lost packet filled, on every engine this machine has.
        final StreamTable uneven = new StreamTable(GEOMETRY, List.of(
            new StreamSpec(StreamId.of(0, 1, 0), 0, new int[] {8, 5, 7, 6}),
            new StreamSpec(StreamId.of(2, 1, 0), 1, new int[] {5, 6, 7, 8})));
        final TestTraffic unevenTraffic = new TestTraffic(uneven, signal);
        final List<CopyEngine> engines = new ArrayList<>(List.of(new JavaCopyEngine()));
        final StreamingCopyEngine streaming = StreamingCopyEngine.load();
        if (streaming != null)
        {
            engines.add(streaming);
        }
        try
        {
            for (final CopyEngine engine : engines)
            {
                final PlacementRig rig = new PlacementRig(uneven, T, 8, 2, signal, engine);
                rigs.add(rig);
                final List<MemorySegment> sent = new ArrayList<>();
                for (long seq = 0; seq < 2 * T; seq += GEOMETRY.samplesPerPacket())
                {
                    for (int s = 0; s < 2; s++)
                    {
                        if (s != 0 || seq != 6)
                        {
                            sent.add(unevenTraffic.packet(s, seq));
                        }
                    }
                }
                rig.place(sent);
                final long[] lost = new long[1];
                final List<Long> frames = rig.drainFrames((frame, meta) -> lost[0] += rig.verify(frame, meta));
                assertEquals(2, frames.size(), engine.name());
                assertEquals(GEOMETRY.freqsPerPacket(), lost[0], engine.name());
            }
        }
        finally
        {
            unevenTraffic.close();
        }
    }
}
