package org.kotekanj.tools.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;
import org.kotekanj.stages.placement.CopyEngine;
import org.kotekanj.stages.placement.CopyQueue;
import org.kotekanj.stages.placement.JavaCopyEngine;
import org.kotekanj.stages.placement.StreamingCopyEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw copy strategies into a 1 GiB frame ring (THP-backed, as buffers are): one batch = 64 packets' worth of 4096
 * payload bytes from a cache-hot slot area, in runs of {@code run} bytes, to sequential ring positions (one queue
 * entry per packet, as the placement queues it).
 * {@code streaming}: the native batch with non-temporal stores and one sfence; {@code java}: the queued
 * {@code MemorySegment.copy} path; {@code c}: the C reference, the same copies as a plain C loop of the widest
 * streaming stores (AVX-512 here) in one downcall, measured in the same run. Bytes per second = 4096 / (ns per op),
 * one op = one packet's payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class CopyBenchmark
{
    static final int PACKETS = 64;
    static final int PAYLOAD = 4096;
    static final long RING = 1L << 30;

    @Param({"c", "streaming", "java"})
    public String engine;

    @Param({"512", "2048"})
    public int run;

    private MappedMemory ring;
    private Arena arena;
    private MemorySegment slots;
    private CopyQueue queue;
    private StreamingCopyEngine helper;
    private long position;

    @Setup(Level.Trial)
    public void setUp()
    {
        ring = MappedMemory.map(RING, HugePages.AUTO, -1);
        arena = Arena.ofShared();
        slots = arena.allocate((long)PACKETS * 4928, 64);
        slots.fill((byte)0x5A);
        helper = StreamingCopyEngine.load();
        final CopyEngine copyEngine = "java".equals(engine) ? new JavaCopyEngine() : helper;
        if (copyEngine == null)
        {
            throw new IllegalStateException("the native copy helper is not built");
        }
        queue = new CopyQueue(PACKETS, copyEngine);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public void copyBatch()
    {
        final long src = slots.address() + 16;
        final long dst = ring.address();
        if ("c".equals(engine))
        {
            position = helper.referenceRuns(src, 4928, dst, RING - 1, position, PACKETS, PAYLOAD, run);
            return;
        }
        // One queue entry per packet, as the placement queues them: its payload's runs to consecutive positions.
        for (int p = 0; p < PACKETS; p++)
        {
            queue.addRuns(src + p * 4928L, run, dst + position, run, PAYLOAD / run, run, 1, 0);
            position = (position + PAYLOAD) & (RING - 1);
        }
        queue.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
        ring.close();
    }
}
