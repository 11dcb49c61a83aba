package org.kotekanj.tools.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.kotekanj.correlator.CorrelatorBackend;
import org.kotekanj.correlator.CorrelatorGeometry;
import org.kotekanj.correlator.cpu.CpuBackendProvider;
import org.kotekanj.correlator.cpu.CpuCorrelatorBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU X-engine's rate: one operation sums {@link #samples(int)} time samples of one frequency over the upper
 * triangle of N random inputs, through the backend the stage uses (kernel and threads as configured). Read with
 * {@code tools/bench/correlator-vs-numpy.sh}, which converts operations per second into useful complex
 * multiply-accumulates per second ({@code N(N+1)/2 x samples}) and runs numpy beside it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CorrelatorBenchmark
{
    @Param({"16", "64", "256", "512", "2048"})
    int inputs;

    @Param({"native", "vector"})
    String kernel;

    @Param({"1"})
    int threads;

    private Arena arena;
    private MemorySegment frame;
    private MemorySegment sums;
    private CorrelatorBackend backend;
    private int samples;

    /** Time samples per operation: enough work per call that the call overhead does not count. */
    public static int samples(final int inputs)
    {
        return inputs >= 1024 ? 1024 : 4096;
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        samples = samples(inputs);
        final int padded = (inputs + 127) / 128 * 128;
        final CorrelatorGeometry geometry = new CorrelatorGeometry(1, inputs, padded, samples, samples);
        arena = Arena.ofShared();
        frame = arena.allocate(geometry.frameBytes(), 4096);
        final SplittableRandom random = new SplittableRandom(1);
        for (long i = 0; i < frame.byteSize(); i++)
        {
            frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte)random.nextInt(256));
        }
        sums = arena.allocate(geometry.visibilityBytes(), 64);
        final int[] cpus = threads > 1 ? new int[] {0, 1} : new int[0];
        backend = new CpuCorrelatorBackend(geometry, CpuBackendProvider.kernel(
            CpuBackendProvider.KernelChoice.valueOf(kernel.toUpperCase())), threads, cpus);
        if (!backend.device().startsWith(kernel))
        {
            throw new IllegalStateException("asked for kernel " + kernel + ", got " + backend.device());
        }
    }

    @Benchmark
    public long correlate()
    {
        backend.beginIntegration(sums);
        backend.accumulate(frame, 0, samples, true);
        backend.endIntegration();
        return backend.integrationsCompleted();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        backend.close();
        arena.close();
    }
}
