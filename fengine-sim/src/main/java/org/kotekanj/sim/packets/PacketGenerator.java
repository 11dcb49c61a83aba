package org.kotekanj.sim.packets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.sim.signal.SampleSignal;

/**
 * The F-engine simulator's packet source: every stream of a {@link StreamTable}, step by step (one step = one packet
 * time, {@code S} samples), each with its impairments, written straight into the slots of an {@link MmsgBatch} and
 * logged to a {@link GroundTruth}. Streams are independent (their own seq, schedules and held packets), so a sender
 * can fill one link's batch at a time; "send order" is per time step, each stream.
 *
 * <p>Runs for a fixed number of steps per stream or, with {@link Long#MAX_VALUE}, until {@link #stop()}. Steady
 * state allocates nothing.
 */
public final class PacketGenerator
{
    private final StreamTable table;
    private final GeneratorSettings settings;
    private final GroundTruth truth;
    private final StreamPackets[] streams;
    private final int maxPerStep;
    private final int slotBytes;
    private boolean finished;

    /**
     * @param steps time steps per stream (packets per link before impairments), or {@link Long#MAX_VALUE}.
     */
    public PacketGenerator(final StreamTable table, final SampleSignal signal, final GeneratorSettings settings,
        final long steps, final GroundTruth truth)
    {
        if (steps < 0)
        {
            throw new IllegalArgumentException("steps must not be negative: " + steps);
        }
        if (settings.firstSteps().length != table.streams().size())
        {
            throw new IllegalArgumentException("one start skew per stream: " + settings.firstSteps().length +
                " for " + table.streams().size() + " streams");
        }
        this.table = table;
        this.settings = settings;
        this.truth = truth;
        final PacketWriter writer = new PacketWriter(table, signal);
        this.streams = new StreamPackets[table.streams().size()];
        for (int i = 0; i < streams.length; i++)
        {
            streams[i] = new StreamPackets(i, table.streams().get(i).streamId(), writer, settings, steps, truth);
        }
        final Impairments impairments = settings.impairments();
        this.maxPerStep = 1 + (impairments.duplicateRate() > 0 ? 1 : 0) +
            (impairments.reorderRate() > 0 ? impairments.reorderWindow() : 0);
        this.slotBytes = impairments.maxDatagramBytes(table.geometry());
    }

    public StreamTable table()
    {
        return table;
    }

    public int streamCount()
    {
        return streams.length;
    }

    /** Room a batch needs for one step of one stream: the packet, a duplicate and every held packet (if on). */
    public int maxDatagramsPerStep()
    {
        return maxPerStep;
    }

    /** The largest datagram this run writes (oversized ones included): the slot size a batch needs. */
    public int slotBytes()
    {
        return slotBytes;
    }

    /**
     * Fills {@code batch} from slot {@code from} with stream {@code stream}'s datagrams, step by step, while a whole
     * step still fits and the stream is before step {@code untilStep} (exclusive; pacing) and not done.
     *
     * @return datagrams written (0: nothing due, or the stream is done).
     */
    public int fill(final int stream, final MmsgBatch batch, final int from, final long untilStep)
    {
        final StreamPackets packets = streams[stream];
        int slot = from;
        while (batch.capacity() - slot >= maxPerStep && !packets.isDone() &&
            (packets.step() < untilStep || packets.isFlushing()))
        {
            slot += packets.emitStep(batch, slot);
        }
        return slot - from;
    }

    /** The step stream {@code stream} takes next. */
    public long step(final int stream)
    {
        return streams[stream].step();
    }

    /** The seq stream {@code stream}'s next packet will carry. */
    public long nextSeq(final int stream)
    {
        return streams[stream].nextSeq();
    }

    /**
     * True once some stream has written the packet holding sample {@code seq}, or stepped past it (the packet was
     * lost, held back or its seq moved by an impairment): the F-engine's clock has passed {@code seq}.
     */
    public boolean hasPassed(final long seq)
    {
        for (final StreamPackets stream : streams)
        {
            if (stream.hasPassed(seq))
            {
                return true;
            }
        }
        return false;
    }

    /** Datagrams written for stream {@code stream} so far. */
    public long datagrams(final int stream)
    {
        return streams[stream].datagrams();
    }

    /** Datagrams written for every stream so far. */
    public long datagrams()
    {
        long total = 0;
        for (final StreamPackets stream : streams)
        {
            total += stream.datagrams();
        }
        return total;
    }

    /** How many events of a type the run logged so far, over all streams (loss periods count once). */
    public long count(final EventType type)
    {
        long total = 0;
        for (final StreamPackets stream : streams)
        {
            total += stream.count(type);
        }
        return total;
    }

    /** True once stream {@code stream} has taken its last step (held packets may remain, sent regardless of pace). */
    public boolean isFlushing(final int stream)
    {
        return streams[stream].isFlushing();
    }

    public boolean isDone(final int stream)
    {
        return streams[stream].isDone();
    }

    /** True once every stream has taken every step and sent every held packet. */
    public boolean isDone()
    {
        for (final StreamPackets stream : streams)
        {
            if (!stream.isDone())
            {
                return false;
            }
        }
        return true;
    }

    /** Ends the run where each stream is: only held packets remain to be sent. */
    public void stop()
    {
        for (final StreamPackets stream : streams)
        {
            stream.stop();
        }
    }

    /**
     * Writes the ground truth's {@code start} line: geometry, streams (with their first step and whatever
     * {@code perStream} adds, e.g. destinations), impairments, and {@code run} (e.g. signal, rate).
     */
    public void logStart(final Map<String, Object> run, final List<Map<String, Object>> perStream)
    {
        final PacketGeometry geometry = table.geometry();
        final Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "start");
        line.put("version", 1);
        line.put("profile", geometry.profile());
        line.put("samples_per_packet", geometry.samplesPerPacket());
        line.put("freqs_per_packet", geometry.freqsPerPacket());
        line.put("inputs_per_packet", geometry.inputsPerPacket());
        line.put("footer_bytes", geometry.footerBytes());
        line.put("datagram_bytes", geometry.datagramBytes());
        line.put("flag_word", geometry.flagWord());
        line.put("flag_reject_mask", geometry.flagRejectMask() & 0xFFFF_FFFFL);
        line.put("sample_period_ns", geometry.samplePeriodNs());
        line.put("seed", settings.seed());
        line.put("start_seq", settings.startSeq());
        line.put("footer_flags", settings.footerFlags() & 0xFFFF_FFFFL);
        line.putAll(run);
        final List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < streams.length; i++)
        {
            final StreamSpec spec = table.streams().get(i);
            final Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("stream", spec.label());
            stream.put("stream_id", spec.streamId());
            stream.put("input_block", spec.inputBlock());
            stream.put("freq_ids", spec.freqIds());
            stream.put("first_step", settings.firstSteps()[i]);
            stream.put("first_seq", settings.startSeq() + settings.firstSteps()[i] * geometry.samplesPerPacket());
            if (i < perStream.size())
            {
                stream.putAll(perStream.get(i));
            }
            list.add(stream);
        }
        line.put("streams", list);
        line.put("impairments", settings.impairments().enabled());
        truth.writeLine(line);
    }

    /** Closes open loss periods and writes one {@code end} line per stream (once). */
    public void finish()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        for (int i = 0; i < streams.length; i++)
        {
            final Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "end");
            line.put("stream", table.streams().get(i).label());
            line.put("stream_id", table.streams().get(i).streamId());
            line.putAll(streams[i].finish());
            truth.writeLine(line);
        }
    }
}
