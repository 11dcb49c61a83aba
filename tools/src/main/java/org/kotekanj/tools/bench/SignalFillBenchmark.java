package org.kotekanj.tools.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamSpec;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.signal.SampleSignal;
import org.kotekanj.sim.signal.Signals;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bytes per second of signal fills as the simulator does them: one invocation fills the payload of one packet,
 * run by run ({@code samples_per_packet x freqs_per_packet} runs of {@code inputs_per_packet} bytes), cycling over
 * the node's streams. Read the {@code bytes} counter: it is payload bytes per second.
 *
 * <pre>
 * java -cp 'tools/target/lib/*:tools/target/tools-0.1.0-SNAPSHOT.jar' org.openjdk.jmh.Main SignalFill \
 *     -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SignalFillBenchmark
{
    @Param({"tpluse", "walsh", "gaussian", "random"})
    public String signal;

    @Param({"chime", "single-board"})
    public String profile;

    private SampleSignal fill;
    private PacketGeometry geometry;
    private List<StreamSpec> streams;
    private Arena arena;
    private MemorySegment payload;
    private long seq;
    private int stream;

    /** Payload bytes filled, reported per second next to the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes
    {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset()
        {
            bytes = 0;
        }
    }

    @Setup
    public void setUp()
    {
        final ConfigErrors errors = new ConfigErrors();
        final StageConfig config = new StageConfig(YamlConfigLoader.parse(
            "profile: " + profile + "\nsignal: {type: " + signal + ", seed: 7}\n", "bench", errors), errors);
        geometry = PacketGeometry.read(config);
        streams = StreamTable.read(config, geometry).streams();
        fill = Signals.read(config, geometry);
        errors.throwIfAny();
        arena = Arena.ofConfined();
        payload = arena.allocate(geometry.payloadBytes(), 64);
        seq = 1L << 32;
    }

    @TearDown
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public void packet(final Bytes bytes)
    {
        final StreamSpec spec = streams.get(stream);
        final int inputs = geometry.inputsPerPacket();
        final int firstInput = spec.inputBlock() * inputs;
        final int[] freqIds = spec.freqIds();
        long offset = 0;
        for (int t = 0; t < geometry.samplesPerPacket(); t++)
        {
            for (final int freqId : freqIds)
            {
                fill.fill(seq + t, freqId, firstInput, inputs, payload, offset);
                offset += inputs;
            }
        }
        bytes.bytes += offset;
        if (++stream == streams.size())
        {
            stream = 0;
            seq += geometry.samplesPerPacket();
        }
    }
}
