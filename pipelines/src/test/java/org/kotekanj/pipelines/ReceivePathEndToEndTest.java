package org.kotekanj.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kotekanj.cli.Main;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.rest.EndpointRegistry;
import org.kotekanj.rest.Json;
import org.kotekanj.sim.check.SampleFrameChecker;
import org.kotekanj.stage.Pipeline;
import org.kotekanj.stage.PipelineBuilder;
import org.kotekanj.stage.StageRegistry;
import org.kotekanj.stages.placement.ReceiveCounters;
import org.kotekanj.stages.receive.FengineReceiver;
import org.kotekanj.stages.util.FrameSink;
import org.kotekanj.status.MetricsRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive path end to end, once per impairment: the simulator writes a node's traffic to a pcap file with its
 * ground-truth log ({@code kotekan-j sim}); a pipeline replays it through {@code FengineReceiver} into frames that
 * {@code SampleFrameChecker} verifies byte by byte; every receiver counter must equal what the ground truth implies.
 *
 * <p>Frames hold T = 64 samples (32 packet times), the window holds 2 frames, reordering stays within 8 packets:
 * every reordered packet is still placed; the buffer holds 8 frames, or 4, which a replay fills faster than the
 * checker reads them (it must wait for free frames, never drop or stall). Samples of lost or rejected packets count as lost, except after a
 * stream's last placed packet (not yet arrived at the end of a run, not lost).
 */
class ReceivePathEndToEndTest
{
    private static final int S = 2;
    private static final int T = 64;
    private static final int STEPS = 1600;

    @TempDir
    Path dir;

    /** A CHIME node: four links (streams) of 512 inputs each. */
    private static final String CHIME = """
        profile: chime
        slot: 5
        link: 2
        crate_parity: 1
        """;
    /**
     * One stream with CHIME's packet shape: for impairments that move one link's clock (jumps, resets), which on a
     * multi-link node would leave that link out of step with the others (its packets too old, or theirs).
     */
    private static final String SINGLE = """
        profile: generic
        samples_per_packet: 2
        freqs_per_packet: 4
        inputs_per_packet: 512
        footer_bytes: 774
        flag_word: true
        streams: [{stream_id: 0x0101, freq_base: 40, input_block: 0}]
        """;

    static Stream<Arguments> impairments()
    {
        return Stream.of(
            Arguments.of("clean", "{}", "", "tpluse"),
            Arguments.of("clean, 4 frames (the replay waits for free frames)", "{}", "", "tpluse"),
            Arguments.of("loss", "{loss: {rate: 0.01}}", "", "tpluse"),
            Arguments.of("burst_loss", "{burst_loss: {rate: 0.004, min_packets: 2, max_packets: 20}}", "", "walsh"),
            Arguments.of("outage", "{outage: {rate: 0.002, packets: 40}}", "", "tpluse"),
            Arguments.of("reorder", "{reorder: {rate: 0.03, window: 8}}", "", "walsh"),
            Arguments.of("duplicate", "{duplicate: {rate: 0.01}}", "", "tpluse"),
            Arguments.of("truncated+oversized", "{truncated: {rate: 0.005}, oversized: {rate: 0.005}}", "", "tpluse"),
            Arguments.of("unknown_stream", "{unknown_stream: {rate: 0.01, stream_id: 0xF00}}", "", "tpluse"),
            Arguments.of("error_flags", "{error_flags: {rate: 0.01, flags: 0x100}}", "", "tpluse"),
            Arguments.of("seq_jump (one link)", "{seq_jump: {rate: 0.003, samples: 64}}", "", "walsh"),
            Arguments.of("reset (one link)", "{reset: {rate: 0.002, to_seq: 2000}}", "start_seq: 100000", "tpluse"),
            Arguments.of("seq_back", "{seq_back: {rate: 0.003, samples: 8}}", "", "tpluse"),
            Arguments.of("unaligned start and skew", "{}", "start_seq: 1002\nstart_skew_packets: [0, 3, 1, 40]",
                "tpluse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impairments")
    void shouldPlaceEveryByteAndCountExactlyWhatTheGroundTruthSays(final String name, final String impairments,
        final String extra, final String signal) throws IOException
    {
        final Path pcap = dir.resolve("node.pcap");
        final Path truth = dir.resolve("truth.jsonl");
        final String node = (name.contains("one link") ? SINGLE : CHIME) + """
            signal: {type: %s%s}
            """.formatted(signal, "walsh".equals(signal) ? ", seed: 3" : "");
        final int streams = name.contains("one link") ? 1 : 4;
        final Path simConfig = dir.resolve("sim.yaml");
        Files.writeString(simConfig, node + """
            destinations: [127.0.0.1:30000-%d]
            pcap: %s
            ground_truth: %s
            count: %d
            seed: 11
            %s
            impairments: %s
            """.formatted(30000 + streams - 1, pcap, truth, STEPS, extra, impairments));
        assertEquals(0, Main.commandLine().execute("sim", "--config", simConfig.toString()));

        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = YamlConfigLoader.parse(node + """
            samples_per_frame: %d
            frames:
              kotekan_buffer: standard
              num_frames: %d
              frame_size: 4 * %d * %d
            receiver:
              kotekan_stage: FengineReceiver
              log_level: %s
              out_buf: frames
              source: pcap
              pcap_file: %s
              ports: [30000, 30001, 30002, 30003]
              window_frames: 2
            checker:
              kotekan_stage: SampleFrameChecker
              log_level: %s
              in_buf: frames
            order:
              kotekan_stage: FrameSink
              in_buf: frames
            """.formatted(T, name.contains("4 frames") ? 4 : 8, T, streams == 4 ? 2048 : 512, "error", pcap, "warn"),
            "receive.yaml", errors);
        final MetricsRegistry metrics = MetricsRegistry.inMemory();
        final Pipeline pipeline = PipelineBuilder.build(root, StageRegistry.discover(), metrics, errors);
        errors.throwIfAny();
        pipeline.start(metrics, new EndpointRegistry());
        assertTrue(pipeline.awaitStages(Duration.ofSeconds(60)), "the replay ends and the pipeline drains");
        final FengineReceiver receiver = (FengineReceiver)pipeline.stage("/receiver");
        final SampleFrameChecker checker = (SampleFrameChecker)pipeline.stage("/checker");
        final FrameSink order = (FrameSink)pipeline.stage("/order");
        pipeline.stop();
        assertEquals(null, pipeline.failure());

        final Expected expected = Expected.from(Files.readAllLines(truth));
        final ReceiveCounters counters = receiver.counters();
        assertEquals(0, checker.badFrames(), "every byte of every frame matches the signal or is 0x88 and flagged");
        assertEquals(0, checker.badCells());
        assertTrue(checker.goodFrames() >= Math.min(STEPS * S / T, expected.spanFrames - 1),
            "frames checked: " + checker.goodFrames());
        assertEquals(checker.goodFrames(), order.frames());
        assertEquals(0, order.outOfOrder(), "every frame once, strictly in time order (first_seq increases)");
        for (int s = 0; s < streams; s++)
        {
            final String stream = "stream " + s;
            assertEquals(expected.placed[s], counters.total(s, ReceiveCounters.PACKETS), stream + " packets");
            assertEquals(expected.lostSamples[s], counters.total(s, ReceiveCounters.LOST_SAMPLES), stream + " lost");
            assertEquals(expected.badLength[s], counters.total(s, ReceiveCounters.MALFORMED_LENGTH), stream + " length");
            assertEquals(expected.flags[s], counters.total(s, ReceiveCounters.MALFORMED_FLAGS), stream + " flags");
            assertEquals(expected.duplicates[s], counters.total(s, ReceiveCounters.DUPLICATES), stream + " dups");
            assertEquals(expected.tooOld[s], counters.total(s, ReceiveCounters.TOO_OLD), stream + " too old");
            assertEquals(expected.resets[s], counters.total(s, ReceiveCounters.RESETS), stream + " resets");
            assertEquals(0, counters.total(s, ReceiveCounters.MALFORMED_OUT_OF_RANGE), stream + " out of range");
        }
        assertEquals(expected.unknownStream,
            counters.total(counters.unattributed(), ReceiveCounters.MALFORMED_UNKNOWN_STREAM), "unknown stream");
        assertEquals(expected.datagrams, counters.sum(ReceiveCounters.PACKETS) +
            counters.sum(ReceiveCounters.MALFORMED_LENGTH) + counters.sum(ReceiveCounters.MALFORMED_FLAGS) +
            counters.sum(ReceiveCounters.MALFORMED_UNKNOWN_STREAM) + counters.sum(ReceiveCounters.MALFORMED_OUT_OF_RANGE) +
            counters.sum(ReceiveCounters.TOO_OLD) + counters.sum(ReceiveCounters.DUPLICATES) +
            counters.sum(ReceiveCounters.DROPPED_BACKPRESSURE_PACKETS),
            "every datagram in exactly one counter");
    }

    /** What the receiver must count, derived from the simulator's ground truth alone. */
    private static final class Expected
    {
        final long[] placed = new long[4];
        final long[] lostSamples = new long[4];
        final long[] badLength = new long[4];
        final long[] flags = new long[4];
        final long[] duplicates = new long[4];
        final long[] resets = new long[4];
        final long[] tooOld = new long[4];
        long spanFrames;
        long unknownStream;
        long datagrams;

        static Expected from(final List<String> lines)
        {
            final Expected e = new Expected();
            final List<JsonNode> events = new ArrayList<>();
            JsonNode start = null;
            for (final String line : lines)
            {
                final JsonNode event = Json.parse(line);
                switch (event.get("event").asText())
                {
                    case "start" -> start = event;
                    case "end" -> e.datagrams += event.get("datagrams").asLong();
                    default -> events.add(event);
                }
            }
            final JsonNode streams = start.get("streams");
            for (int s = 0; s < streams.size(); s++)
            {
                e.stream(s, streams.get(s), events, start.get("start_seq").asLong());
            }
            return e;
        }

        private void stream(final int s, final JsonNode spec, final List<JsonNode> all, final long startSeq)
        {
            final List<JsonNode> events = all.stream().filter(ev -> ev.get("stream_id").asInt() ==
                spec.get("stream_id").asInt()).toList();
            final int firstStep = spec.get("first_step").asInt();
            // The seq of each step, following jumps and steps back; and whether the step's packet was placed.
            final long[] seq = new long[STEPS];
            final boolean[] placedStep = new boolean[STEPS];
            long next = spec.get("first_seq").asLong();
            for (int step = firstStep; step < STEPS; step++)
            {
                for (final JsonNode ev : events)
                {
                    if (ev.get("step").asInt() == step && ev.has("from_seq"))
                    {
                        next = ev.get("seq").asLong();
                    }
                }
                seq[step] = next;
                placedStep[step] = true;
                next += S;
            }
            long lostBefore = 0;
            final List<Integer> resetSteps = new ArrayList<>();
            for (final JsonNode ev : events)
            {
                final int step = ev.get("step").asInt();
                final int packets = ev.has("packets") ? ev.get("packets").asInt() : 1;
                switch (ev.get("event").asText())
                {
                    case "drop", "burst_loss", "outage" ->
                    {
                        for (int p = step; p < Math.min(STEPS, step + packets); p++)
                        {
                            placedStep[p] = false;
                        }
                    }
                    case "truncated", "oversized" ->
                    {
                        placedStep[step] = false;
                        badLength[s]++;
                    }
                    case "error_flags" ->
                    {
                        placedStep[step] = false;
                        flags[s]++;
                    }
                    case "unknown_stream" ->
                    {
                        placedStep[step] = false;
                        unknownStream++;
                    }
                    case "duplicate" -> duplicates[s]++;
                    case "seq_jump" -> lostBefore += ev.get("seq").asLong() - ev.get("from_seq").asLong();
                    case "reset" ->
                    {
                        resets[s]++;
                        resetSteps.add(step);
                        assertTrue(ev.get("from_seq").asLong() - ev.get("seq").asLong() > 8L * T,
                            "the model covers resets back by more than reset_threshold_samples (8 T) only");
                    }
                    default ->
                    {
                    }
                }
            }
            if (!resetSteps.isEmpty())
            {
                resetsRealigned(s, seq, firstStep, resetSteps, startSeq);
                return;
            }
            long lastPlaced = -1;
            long maxSeq = -1;
            for (int step = firstStep; step < STEPS; step++)
            {
                if (placedStep[step])
                {
                    if (seq[step] <= maxSeq)
                    {
                        duplicates[s]++;        // a step back covers samples already placed
                        continue;
                    }
                    maxSeq = seq[step];
                    placed[s]++;
                    lastPlaced = seq[step];
                }
            }
            for (int step = firstStep; step < STEPS; step++)
            {
                if (!placedStep[step] && seq[step] < lastPlaced)
                {
                    lostSamples[s] += S;
                }
            }
            // Samples of the stream's first frame before its first packet are lost too (never left stale).
            final long firstFrameStart = Math.floorDiv(Math.min(startSeq, seq[firstStep]), T) * T;
            lostSamples[s] += seq[firstStep] - firstFrameStart + lostBefore;
            spanFrames = Math.max(spanFrames, (lastPlaced + S - firstFrameStart) / T);
        }

        /**
         * A stream whose F-engine resets (no other impairment): each reset is confirmed by its 8th packet (the 7
         * before count as too old), which re-aligns the stream by a whole number of frames into the frame after its
         * newest sample; the samples between that sample and the re-aligned start are lost, and everything after is
         * placed (and checked by the checker at the stream's own counter, through the frame metadata's offset).
         */
        private void resetsRealigned(final int s, final long[] seq, final int firstStep, final List<Integer> resetSteps,
            final long startSeq)
        {
            final int confirmations = 8;
            final List<Integer> sorted = resetSteps.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++)
            {
                final int limit = i + 1 < sorted.size() ? sorted.get(i + 1) : STEPS;
                assertTrue(sorted.get(i) + confirmations <= limit, "the model needs 8 packets after each reset");
            }
            long offset = 0;
            long head = -1;
            for (int step = firstStep; step < STEPS; step++)
            {
                final int at = step;
                final int reset = sorted.stream().filter(r -> r <= at).mapToInt(Integer::intValue).max().orElse(-1);
                if (reset >= 0 && step < reset + confirmations - 1)
                {
                    tooOld[s]++;
                    continue;
                }
                if (reset >= 0 && step == reset + confirmations - 1)
                {
                    offset = (Math.floorDiv(head, T) + 1) * T - Math.floorDiv(seq[step], T) * T;
                    lostSamples[s] += seq[step] + offset - (head + S);
                }
                head = seq[step] + offset;
                placed[s]++;
            }
            final long firstFrameStart = Math.floorDiv(Math.min(startSeq, seq[firstStep]), T) * T;
            lostSamples[s] += seq[firstStep] - firstFrameStart;
            spanFrames = Math.max(spanFrames, (head + S - firstFrameStart) / T);
        }
    }
}
