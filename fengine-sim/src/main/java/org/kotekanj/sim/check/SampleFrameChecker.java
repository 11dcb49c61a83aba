package org.kotekanj.sim.check;

import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.sim.SimulatedNode;
import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Verifies every byte of the receive path's sample frames ({@code [freq][time][input]}, {@link SampleFrameLayout})
 * against the simulator's signal: what proves that packets were parsed, placed, flagged and filled correctly.
 * Configured with the simulator's own keys (geometry profile, stream keys, {@code signal:} block) and
 * {@code samples_per_frame}, so it derives the same bytes the simulator sent.
 *
 * <p>A cell of the presence map (one packet's samples of one frequency and input block) is good if it is present
 * and equals the signal, or lost and all {@code 0x88}; padding inputs must be {@code 0x88}. A frame is good if its
 * metadata matches the configured shape and every cell and its padding are good. The first mismatch of each bad
 * frame is logged. A stream the receiver re-aligned after a reset or jump is checked at its own F-engine counter
 * ({@code first_seq + t - seq_offset[stream]} from the frame metadata), so its bytes are checked too.
 *
 * <pre>
 * check:
 *   kotekan_stage: SampleFrameChecker
 *   in_buf: gpu_input
 *   samples_per_frame: 49152
 *   profile: chime          # and slot, link, crate_parity, ... as for the simulator
 *   signal: {type: walsh, seed: 1}
 * </pre>
 *
 * Metrics: {@code kotekan_check_frames_total{result=good|bad}}, {@code kotekan_check_cells_total{result=good|bad}},
 * {@code kotekan_check_lost_cells_total} (cells flagged lost), {@code kotekan_check_padding_errors_total} (time rows
 * of a frequency whose padding is not {@code 0x88}).
 */
public final class SampleFrameChecker extends Stage
{
    private final FrameConsumer in;
    private final Log log;
    private final SampleSignal signal;
    private final SampleFrameLayout layout;
    private final int[] freqIds;
    private final int numBlocks;
    private final int numInputs;
    private final int inputsPerPacket;
    private final int samplesPerPacket;
    private final int[] cellStream;
    private final int[] streamIndexById = new int[1 << 16];
    private final long[] streamOffset;
    private final MemorySegment expected;
    private final MemorySegment zeros;
    private final AtomicCounter goodFrames;
    private final AtomicCounter badFrames;
    private final AtomicCounter goodCells;
    private final AtomicCounter badCells;
    private final AtomicCounter lostCells;
    private final AtomicCounter paddingErrors;
    private long frames;
    private String firstMismatch;

    public SampleFrameChecker(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        in = context.inBuffer("in_buf");
        log = context.log();
        final SimulatedNode node = SimulatedNode.read(config);
        final StreamTable streams = node.streams();
        signal = node.signal();
        samplesPerPacket = node.geometry().samplesPerPacket();
        inputsPerPacket = node.geometry().inputsPerPacket();
        final int samplesPerFrame = config.getInt("samples_per_frame");
        if (samplesPerFrame < 1 || samplesPerPacket > 0 && samplesPerFrame % samplesPerPacket != 0)
        {
            config.error("samples_per_frame", "must be a positive multiple of samples_per_packet (" +
                samplesPerPacket + "), found " + samplesPerFrame);
        }
        layout = SampleFrameLayout.of(streams, samplesPerFrame);
        freqIds = streams.freqIds();
        numBlocks = streams.numBlocks();
        numInputs = streams.numInputs();
        // Which stream fills each (freq, input block) cell: its samples are checked at that stream's counter.
        cellStream = new int[freqIds.length * Math.max(numBlocks, 1)];
        java.util.Arrays.fill(streamIndexById, -1);
        streamOffset = new long[streams.streams().size()];
        for (int j = 0; j < streams.streams().size(); j++)
        {
            final var spec = streams.streams().get(j);
            streamIndexById[spec.streamId() & 0xFFFF] = j;
            for (final int freqId : spec.freqIds())
            {
                cellStream[streams.freqIndex(freqId) * numBlocks + spec.inputBlock()] = j;
            }
        }
        if (in != null)
        {
            context.requireFrameSize(in.buffer(), layout.frameBytes(), "frames of " + layout.numFreqs() + " freqs x " +
                samplesPerFrame + " samples x " + layout.paddedInputs() + " inputs");
            context.requireMetadata(in, FrameMetadataDescriptor.KIND);
        }
        expected = MemorySegment.ofArray(new byte[Math.max(inputsPerPacket, 0)]);
        zeros = MemorySegment.ofArray(new byte[Math.max(Math.max(inputsPerPacket, layout.paddedInputs()), 0)]);
        zeros.fill(SampleByte.ZERO);
        final MetricsRegistry metrics = context.metrics();
        goodFrames = metrics.counter("kotekan_check_frames_total", path(), "result", "good");
        badFrames = metrics.counter("kotekan_check_frames_total", path(), "result", "bad");
        goodCells = metrics.counter("kotekan_check_cells_total", path(), "result", "good");
        badCells = metrics.counter("kotekan_check_cells_total", path(), "result", "bad");
        lostCells = metrics.counter("kotekan_check_lost_cells_total", path());
        paddingErrors = metrics.counter("kotekan_check_padding_errors_total", path());
    }

    @Override
    public int doWork()
    {
        final int slot = in.tryAcquire();
        if (slot < 0)
        {
            return 0;
        }
        final MemorySegment metadata = in.metadata(slot);
        firstMismatch = shapeProblem(metadata);
        final boolean good = firstMismatch == null && check(in.frame(slot), metadata);
        if (good)
        {
            goodFrames.incrementRelease();
        }
        else
        {
            badFrames.incrementRelease();
            log.warn("frame " + frames + " (first seq " + FrameMetadataDescriptor.firstSeq(metadata) + "): " +
                firstMismatch);
        }
        frames++;
        in.release();
        return 1;
    }

    /** Checks every cell and the padding; returns true if all are right. */
    private boolean check(final MemorySegment frame, final MemorySegment metadata)
    {
        final long firstSeq = FrameMetadataDescriptor.firstSeq(metadata);
        final int rows = layout.samplesPerFrame() / samplesPerPacket;
        java.util.Arrays.fill(streamOffset, 0);
        for (int s = 0; s < FrameMetadataDescriptor.numStreams(metadata); s++)
        {
            final int j = streamIndexById[FrameMetadataDescriptor.streamId(metadata, s)];
            if (j >= 0)
            {
                streamOffset[j] = FrameMetadataDescriptor.seqOffset(metadata, s);
            }
        }
        boolean good = true;
        long lost = 0;
        long goodCount = 0;
        long badCount = 0;
        for (int f = 0; f < freqIds.length; f++)
        {
            for (int row = 0; row < rows; row++)
            {
                for (int block = 0; block < numBlocks; block++)
                {
                    final boolean present = FrameMetadataDescriptor.present(metadata, row, f, block);
                    if (!present)
                    {
                        lost++;
                    }
                    final long sourceSeq = firstSeq - streamOffset[cellStream[f * numBlocks + block]];
                    if (checkCell(frame, sourceSeq, f, row, block, present))
                    {
                        goodCount++;
                    }
                    else
                    {
                        badCount++;
                        good = false;
                    }
                }
            }
            good &= checkPadding(frame, f);
        }
        // Counted once per frame: the counters file sees whole frames.
        lostCells.getAndAddRelease(lost);
        goodCells.getAndAddRelease(goodCount);
        badCells.getAndAddRelease(badCount);
        return good;
    }

    private boolean checkCell(final MemorySegment frame, final long firstSeq, final int f, final int row,
        final int block, final boolean present)
    {
        final int firstInput = block * inputsPerPacket;
        for (int s = 0; s < samplesPerPacket; s++)
        {
            final int time = row * samplesPerPacket + s;
            final long offset = layout.offset(f, time, firstInput);
            final MemorySegment wanted = present ? expected : zeros;
            if (present)
            {
                signal.fill(firstSeq + time, freqIds[f], firstInput, inputsPerPacket, expected, 0);
            }
            final long at = MemorySegment.mismatch(frame, offset, offset + inputsPerPacket, wanted, 0,
                inputsPerPacket);
            if (at >= 0)
            {
                if (firstMismatch == null)
                {
                    firstMismatch = mismatch(frame, offset + at, wanted.get(JAVA_BYTE, at), "freq_id " +
                        freqIds[f] + ", seq " + (firstSeq + time) + ", input " + (firstInput + at) +
                        (present ? "" : " (lost cell)"));
                }
                return false;
            }
        }
        return true;
    }

    private boolean checkPadding(final MemorySegment frame, final int f)
    {
        final int padding = layout.paddedInputs() - numInputs;
        boolean good = true;
        for (int time = 0; padding > 0 && time < layout.samplesPerFrame(); time++)
        {
            final long offset = layout.offset(f, time, numInputs);
            final long at = MemorySegment.mismatch(frame, offset, offset + padding, zeros, 0, padding);
            if (at >= 0)
            {
                paddingErrors.incrementRelease();
                if (firstMismatch == null)
                {
                    firstMismatch = mismatch(frame, offset + at, SampleByte.ZERO, "freq_id " + freqIds[f] +
                        ", sample " + time + " of the frame, padding input " + (numInputs + at));
                }
                good = false;
            }
        }
        return good;
    }

    /** The log line of a frame's first mismatch; built once per bad frame, so the cost stays off good frames. */
    private static String mismatch(final MemorySegment frame, final long offset, final byte wanted, final String where)
    {
        return String.format("%s: expected 0x%02x, found 0x%02x", where, wanted & 0xFF,
            frame.get(JAVA_BYTE, offset) & 0xFF);
    }

    /** Why the metadata does not describe the configured frame, or {@code null} if it does. */
    private String shapeProblem(final MemorySegment metadata)
    {
        if (FrameMetadataDescriptor.numTime(metadata) != layout.samplesPerFrame() ||
            FrameMetadataDescriptor.numFreq(metadata) != freqIds.length ||
            FrameMetadataDescriptor.numBlocks(metadata) != numBlocks ||
            FrameMetadataDescriptor.samplesPerRow(metadata) != samplesPerPacket ||
            FrameMetadataDescriptor.numInputs(metadata) != layout.paddedInputs() ||
            FrameMetadataDescriptor.numStreams(metadata) != streamOffset.length)
        {
            return "metadata describes " + FrameMetadataDescriptor.numFreq(metadata) + " freqs x " +
                FrameMetadataDescriptor.numTime(metadata) + " samples x " +
                FrameMetadataDescriptor.numInputs(metadata) + " inputs in " +
                FrameMetadataDescriptor.numBlocks(metadata) + " blocks, rows of " +
                FrameMetadataDescriptor.samplesPerRow(metadata) + ", " + FrameMetadataDescriptor.numStreams(metadata) +
                " streams; the config says " + freqIds.length + " x " + layout.samplesPerFrame() + " x " +
                layout.paddedInputs() + " in " + numBlocks + ", rows of " + samplesPerPacket + ", " +
                streamOffset.length + " streams";
        }
        for (int f = 0; f < freqIds.length; f++)
        {
            if (FrameMetadataDescriptor.freqId(metadata, f) != freqIds[f])
            {
                return "frequency " + f + " of the frame is freq_id " + FrameMetadataDescriptor.freqId(metadata, f) +
                    ", the config says " + freqIds[f];
            }
        }
        return null;
    }

    @Override
    public void onClose()
    {
        log.info("checked " + frames + " frames: " + goodFrames.get() + " good, " + badFrames.get() + " bad; cells " +
            goodCells.get() + " good, " + badCells.get() + " bad, " + lostCells.get() + " lost");
    }

    public long goodFrames()
    {
        return goodFrames.get();
    }

    public long badFrames()
    {
        return badFrames.get();
    }

    public long goodCells()
    {
        return goodCells.get();
    }

    public long badCells()
    {
        return badCells.get();
    }

    public long lostCells()
    {
        return lostCells.get();
    }

    public long paddingErrors()
    {
        return paddingErrors.get();
    }

    @Override
    public String statusLine()
    {
        return goodFrames.get() + " good frames, " + badFrames.get() + " bad; " + badCells.get() + " bad cells";
    }
}
