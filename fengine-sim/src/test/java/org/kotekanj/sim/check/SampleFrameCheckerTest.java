package org.kotekanj.sim.check;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.SampleFrameLayout;
import org.kotekanj.log.Log;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.sim.SimulatedNode;
import org.kotekanj.sim.signal.SampleByte;
import org.kotekanj.stage.StageContext;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames filled by hand as the receive path would, with a lost cell, a corrupted byte and bad padding. */
class SampleFrameCheckerTest
{
    /** Two streams of 8 inputs and 2 frequencies (10, 11): 16 inputs padded to 128, 4 rows of 2 samples. */
    private static final String CONFIG = """
        frames:
          kotekan_buffer: standard
        check:
          kotekan_stage: SampleFrameChecker
          in_buf: frames
          samples_per_frame: 8
          profile: generic
          samples_per_packet: 2
          freqs_per_packet: 2
          inputs_per_packet: 8
          streams:
            - {stream_id: 0.0.0, freq_base: 10, input_block: 0}
            - {stream_id: 0.0.1, freq_base: 10, input_block: 1}
          signal: {type: walsh, seed: 4}
        """;

    private final MetricsRegistry metrics = MetricsRegistry.inMemory();
    private FrameBuffer buffer;
    private FrameProducer producer;
    private SampleFrameChecker checker;
    private SimulatedNode node;
    private SampleFrameLayout layout;

    @BeforeEach
    void setUp()
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = new StageConfig(YamlConfigLoader.parse(CONFIG, "test.yaml", errors).find("check"),
            errors);
        node = SimulatedNode.read(new StageConfig(config.node(), new ConfigErrors()));
        layout = SampleFrameLayout.of(node.streams(), 8);
        assertEquals(2 * 8 * 128, layout.frameBytes());
        buffer = new FrameBuffer("frames", 4, layout.frameBytes(), HugePages.OFF, -1, FrameMetadataDescriptor.KIND);
        producer = buffer.producer("receiver");
        buffer.declareMetadata(FrameMetadataDescriptor.KIND, FrameMetadataDescriptor.length(2, 2, 4, 2));
        checker = new SampleFrameChecker(new StageContext(config, Map.of("frames", buffer), Map.of(), metrics,
            Log.of("check")));
        errors.throwIfAny();
        buffer.allocate(metrics);
    }

    @AfterEach
    void tearDown()
    {
        buffer.close();
    }

    @Test
    void shouldAcceptFramesThatHoldTheSignal() throws Exception
    {
        publish(0, frame -> { });
        publish(8, frame -> { });
        assertEquals(1, checker.doWork());
        assertEquals(1, checker.doWork());
        assertEquals(0, checker.doWork());
        assertEquals(2, checker.goodFrames());
        assertEquals(0, checker.badFrames());
        assertEquals(2 * 2 * 4 * 2, checker.goodCells());
    }

    @Test
    void shouldAcceptALostCellFilledWithZeroAndRejectOneThatIsNot() throws Exception
    {
        publish(16, frame -> lose(frame, 2, 1, 0, true));
        publish(24, frame -> lose(frame, 1, 0, 1, false));
        checker.doWork();
        checker.doWork();
        assertEquals(1, checker.goodFrames());
        assertEquals(1, checker.badFrames());
        assertEquals(2, checker.lostCells());
        assertEquals(1, checker.badCells());
        assertEquals(31, checker.goodCells());
    }

    @Test
    void shouldRejectACorruptedByteAndBadPadding() throws Exception
    {
        publish(32, frame -> frame.segment().set(JAVA_BYTE, layout.offset(1, 5, 11),
            (byte)(frame.segment().get(JAVA_BYTE, layout.offset(1, 5, 11)) ^ 0x10)));
        publish(40, frame -> frame.segment().set(JAVA_BYTE, layout.offset(0, 7, 100), (byte)0x11));
        checker.doWork();
        checker.doWork();
        assertEquals(2, checker.badFrames());
        assertEquals(1, checker.badCells(), "the corrupted byte spoils one cell; padding is counted apart");
        assertEquals(1, checker.paddingErrors());
    }

    @Test
    void shouldRejectMetadataOfAnotherShape() throws Exception
    {
        publish(48, frame -> FrameMetadataDescriptor.freqId(frame.metadata(), 1, 99));
        checker.doWork();
        assertEquals(1, checker.badFrames());
        assertEquals(0, checker.goodCells() + checker.badCells(), "no cell is judged against the wrong frequency");
    }

    @Test
    void shouldRecordConfigErrorsForAFrameSizeThatDoesNotFit()
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = new StageConfig(YamlConfigLoader.parse(CONFIG.replace("samples_per_frame: 8",
            "samples_per_frame: 7"), "test.yaml", errors).find("check"), errors);
        final FrameBuffer other = new FrameBuffer("frames", 2, 4096, HugePages.OFF, -1, null);
        new SampleFrameChecker(new StageContext(config, Map.of("frames", other), Map.of(), metrics, Log.of("c")));
        final String messages = errors.list().toString();
        assertTrue(messages.contains("samples_per_frame") && messages.contains("frame_size 4096"), messages);
    }

    /** One frame and its metadata, as a receive path hands them over. */
    private record Frame(MemorySegment segment, MemorySegment metadata)
    {
    }

    private interface Damage
    {
        void apply(Frame frame);
    }

    /** Fills a frame with the signal from {@code firstSeq}, all present, padding 0x88; then damages it. */
    private void publish(final long firstSeq, final Damage damage)
    {
        final int slot = producer.tryClaim();
        final MemorySegment frame = producer.frame(slot);
        final MemorySegment metadata = producer.metadata(slot);
        frame.fill(SampleByte.ZERO);
        FrameMetadataDescriptor.initialise(metadata, 8, 2, 128, 2, 2, 2);
        FrameMetadataDescriptor.firstSeq(metadata, firstSeq);
        final int[] freqIds = node.streams().freqIds();
        for (int f = 0; f < freqIds.length; f++)
        {
            FrameMetadataDescriptor.freqId(metadata, f, freqIds[f]);
            for (int t = 0; t < 8; t++)
            {
                node.signal().fill(firstSeq + t, freqIds[f], 0, 16, frame, layout.offset(f, t, 0));
            }
        }
        FrameMetadataDescriptor.presenceMap(metadata).fill((byte)1);
        damage.apply(new Frame(frame, metadata));
        producer.publish();
    }

    /** Flags cell (row, freq, block) lost, filling its bytes with 0x88 or leaving the signal there. */
    private void lose(final Frame frame, final int row, final int freq, final int block, final boolean fill)
    {
        frame.metadata().set(JAVA_BYTE, FrameMetadataDescriptor.presenceIndex(frame.metadata(), row, freq, block),
            (byte)0);
        for (int s = 0; fill && s < 2; s++)
        {
            frame.segment().asSlice(layout.offset(freq, row * 2 + s, block * 8), 8).fill(SampleByte.ZERO);
        }
    }
}
