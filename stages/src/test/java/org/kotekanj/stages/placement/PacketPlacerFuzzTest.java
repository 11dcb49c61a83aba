package org.kotekanj.stages.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.PacketHeaderDescriptor;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.status.MetricsRegistry;
import org.kotekanj.stages.receive.ReceiverContext;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of parse + placement (Jazzer): random and mutated datagrams, raw or with plausible headers
 * (known streams, nearby and absurd sample counters, wrong lengths, flags). Asserts that every copy the placement
 * queues writes inside exactly one frame and reads either the datagram being placed or the 0x88 fill, and that every
 * datagram is counted in exactly one of packets, malformed, too old, duplicates or dropped for back-pressure.
 *
 * <p>In a normal test run the fuzz test replays its seed corpus; {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration}.
 */
class PacketPlacerFuzzTest
{
    private static final PacketGeometry GEOMETRY = new PacketGeometry(PacketGeometry.GENERIC, 2, 2, 8, 6, true,
        PacketHeaderDescriptor.DEFAULT_FLAG_REJECT_MASK, 2560, 800, -0.390625);
    private static final StreamTable TABLE = new StreamTable(GEOMETRY, List.of(
        new StreamSpec(StreamId.of(1, 0, 0), 0, new int[] {0, 1}),
        new StreamSpec(StreamId.of(1, 0, 1), 1, new int[] {0, 1}),
        new StreamSpec(StreamId.of(1, 0, 2), 0, new int[] {2, 3})));
    private static final int T = 8;
    private static final int MAX_DATAGRAMS = 64;

    private static final PlacementPlan PLAN = PlacementPlan.build(TABLE, T);
    private static final MetricsRegistry METRICS = MetricsRegistry.inMemory();
    private static final FrameBuffer BUFFER = new FrameBuffer("fuzz", 4, PLAN.layout().frameBytes(), HugePages.OFF,
        -1, null);
    private static final FrameProducer PRODUCER = BUFFER.producer("/recv");
    private static final FrameConsumer CONSUMER = BUFFER.consumer("/check");
    private static final MemorySegment DATAGRAMS = Arena.global().allocate(MAX_DATAGRAMS * 128L, 64);
    private static final CopyEngine ENGINE;
    private static final ReceiveCounters COUNTERS;

    static
    {
        BUFFER.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(PLAN.layout().numFreqs(),
            PLAN.numStreams(), PLAN.rows(), PLAN.numBlocks()));
        BUFFER.allocate(METRICS);
        ENGINE = new CheckingEngine(BUFFER, DATAGRAMS);
        COUNTERS = new ReceiveCounters(METRICS, "/recv", PLAN, new String[] {"a", "b", "c"});
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzPlacement(final FuzzedDataProvider data)
    {
        final long before = accounted();
        final ReceiverContext context = new ReceiverContext().plan(PLAN).windowFrames(2)
            .startToleranceSamples(data.consumeInt(0, T)).resetThresholdSamples(4L * T).maxSeqJumpSamples(64L * T)
            .jumpConfirmations(2).copyEngine(ENGINE).conclude();
        try (ReceiveEvents events = new ReceiveEvents(null, new Log("/fuzz", Log.Level.OFF), 0);
             Placement placement = new Placement(context, PRODUCER, COUNTERS, events, 64))
        {
            int sent = 0;
            long seq = data.consumeLong(0, 1L << 20) & ~1L;
            while (sent < MAX_DATAGRAMS && data.remainingBytes() > 0)
            {
                final long at = sent * 128L;
                final int length = datagram(data, DATAGRAMS, at, seq);
                seq = PacketHeaderDescriptor.seq(DATAGRAMS, at) + 2;
                placement.accept(DATAGRAMS.address() + at, length);
                sent++;
                if (data.consumeBoolean())
                {
                    placement.flush();
                    drain();
                }
            }
            placement.flush();
            placement.publishAll();
            drain();
            assertEquals(sent, accounted() - before, "every datagram in exactly one counter");
        }
    }

    private static void drain()
    {
        while (CONSUMER.tryAcquire() >= 0)
        {
            CONSUMER.release();
        }
    }

    private static long accounted()
    {
        return COUNTERS.sum(ReceiveCounters.PACKETS) + COUNTERS.sum(ReceiveCounters.MALFORMED_LENGTH) +
            COUNTERS.sum(ReceiveCounters.MALFORMED_FLAGS) + COUNTERS.sum(ReceiveCounters.MALFORMED_UNKNOWN_STREAM) +
            COUNTERS.sum(ReceiveCounters.MALFORMED_OUT_OF_RANGE) + COUNTERS.sum(ReceiveCounters.TOO_OLD) +
            COUNTERS.sum(ReceiveCounters.DUPLICATES) + COUNTERS.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS);
    }

    /** Writes one datagram (raw bytes, or a plausible header with a chosen twist) and returns its length. */
    private static int datagram(final FuzzedDataProvider data, final MemorySegment datagrams, final long at,
        final long seq)
    {
        final MemorySegment slot = datagrams.asSlice(at, 128);
        slot.fill((byte)0);
        if (data.consumeBoolean())
        {
            final byte[] raw = data.consumeBytes(data.consumeInt(0, 127));
            MemorySegment.copy(MemorySegment.ofArray(raw), 0, slot, 0, raw.length);
            return raw.length;
        }
        final int streamId = data.consumeBoolean() ? TABLE.streams().get(data.consumeInt(0, 2)).streamId() :
            data.consumeInt(0, 0xFFFF);
        final long nextSeq = switch (data.consumeInt(0, 3))
        {
            case 0 -> seq;
            case 1 -> Math.max(0, seq + data.consumeInt(-64, 64));
            case 2 -> data.consumeLong(0, PacketHeaderDescriptor.SEQ_MASK);
            default -> seq + 2L * data.consumeInt(0, 4);
        };
        final int length = data.consumeBoolean() ? GEOMETRY.datagramBytes() :
            data.consumeInt(0, 127);
        PacketHeaderDescriptor.write(slot, 0, streamId, nextSeq);
        final byte[] payload = data.consumeBytes(GEOMETRY.payloadBytes());
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, slot, 16, payload.length);
        if (length >= PacketHeaderDescriptor.FLAG_WORD_FROM_END + 4 && data.consumeBoolean())
        {
            PacketHeaderDescriptor.writeFlagWord(slot, 0, length, data.consumeInt());
        }
        return length;
    }

    /** Executes copies like the Java engine, after checking each one stays inside one frame and reads sane memory. */
    private static final class CheckingEngine implements CopyEngine
    {
        private final JavaCopyEngine delegate = new JavaCopyEngine();
        private final long framesBase;
        private final long frameBytes;
        private final int numFrames;
        private final MemorySegment datagrams;

        CheckingEngine(final FrameBuffer buffer, final MemorySegment datagrams)
        {
            this.framesBase = buffer.memory().address();
            this.frameBytes = buffer.frameSize();
            this.numFrames = buffer.numFrames();
            this.datagrams = datagrams;
        }

        @Override
        public void copyBatch(final MemorySegment queue, final int count)
        {
            final int longs = CopyQueueDescriptor.ENTRY_LENGTH / Long.BYTES;
            for (int i = 0; i < count; i++)
            {
                final long base = (long)longs * i;
                final long src = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.SRC_OFFSET / 8);
                final long dst = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.DST_OFFSET / 8);
                final long length = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.LENGTH_OFFSET / 8);
                final long srcStride = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.SRC_STRIDE_OFFSET / 8);
                final long runs = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.RUNS_OFFSET / 8);
                final long runStride = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.RUN_STRIDE_OFFSET / 8);
                final long rows = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.ROWS_OFFSET / 8);
                final long rowStride = queue.getAtIndex(JAVA_LONG, base + CopyQueueDescriptor.ROW_STRIDE_OFFSET / 8);
                if (runs <= 0 || rows <= 0)
                {
                    throw new AssertionError("entry of " + rows + " x " + runs + " runs");
                }
                for (long r = 0; r < rows; r++)
                {
                    for (long k = 0; k < runs; k++)
                    {
                        checkRun(src + (r * runs + k) * srcStride, dst + r * rowStride + k * runStride, length);
                    }
                }
            }
            delegate.copyBatch(queue, count);
        }

        @Override
        public void copyAhead(final MemorySegment queue, final int count)
        {
            copyBatch(queue, count);
        }

        private void checkRun(final long src, final long dst, final long length)
        {
            final long frame = Math.floorDiv(dst - framesBase, frameBytes);
            if (length <= 0 || dst < framesBase || frame >= numFrames ||
                dst + length > framesBase + (frame + 1) * frameBytes)
            {
                throw new AssertionError("copy of " + length + " bytes to " + (dst - framesBase) +
                    " leaves the frames of " + frameBytes + " bytes");
            }
            final boolean fromDatagram = src >= datagrams.address() &&
                src + length <= datagrams.address() + datagrams.byteSize();
            if (!fromDatagram)
            {
                final MemorySegment fill = MemorySegment.NULL.reinterpret(Long.MAX_VALUE).asSlice(src, length);
                for (long b = 0; b < length; b++)
                {
                    if (fill.get(JAVA_BYTE, b) != PacketHeaderDescriptor.FILL)
                    {
                        throw new AssertionError("copy reads neither a datagram nor the 0x88 fill");
                    }
                }
            }
        }

        @Override
        public String name()
        {
            return "checking";
        }
    }
}
