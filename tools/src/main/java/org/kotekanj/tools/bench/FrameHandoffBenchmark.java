package org.kotekanj.tools.bench;

import java.util.concurrent.TimeUnit;

import org.kotekanj.buffer.FrameBuffer;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.status.MetricsRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Frame hand-off through a {@link FrameBuffer}: one producer thread claims a frame, stamps its sequence number and
 * publishes it; consumer threads acquire it, read the stamp and release it. The producer can only run
 * {@value #NUM_FRAMES} frames ahead of the slowest consumer, so in steady state the time per producer operation is
 * the time per frame handed off to every consumer (the JMH score of the {@code produce*} method, in ns per frame).
 *
 * <ul>
 *   <li>{@code oneConsumer}: producer and consumer on two threads.</li>
 *   <li>{@code threeConsumers}: producer and three consumer threads (four busy threads: needs four free cores to
 *       mean anything).</li>
 *   <li>{@code threeConsumersOneThread}: the three consumers' cursors served by one thread, so that the protocol cost
 *       for three consumers can be measured with two cores.</li>
 * </ul>
 *
 * A side that finds nothing to do spins briefly, then yields (as a stage's back-off idle strategy does), so that an
 * oversubscribed machine still makes progress. Kotekan's hand-off was measured at about 3.8 us per frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FrameHandoffBenchmark
{
    static final int NUM_FRAMES = 8;
    static final int FRAME_SIZE = 4096;
    private static final int SPINS_BEFORE_YIELD = 100;

    /** A buffer with one producer and {@code consumers} consumers, and the hand-off loops on it. */
    static final class Ring
    {
        private final int consumerCount;
        private FrameBuffer buffer;
        private FrameProducer producer;
        private FrameConsumer[] consumers;

        Ring(final int consumerCount)
        {
            this.consumerCount = consumerCount;
        }

        void allocate()
        {
            buffer = new FrameBuffer("bench", NUM_FRAMES, FRAME_SIZE, HugePages.OFF, -1, null);
            producer = buffer.producer("/producer");
            consumers = new FrameConsumer[consumerCount];
            for (int i = 0; i < consumerCount; i++)
            {
                consumers[i] = buffer.consumer("/consumer_" + i);
            }
            buffer.allocate(MetricsRegistry.inMemory());
        }

        void close()
        {
            buffer.close();
        }

        void produce(final Control control)
        {
            int idle = 0;
            while (!control.stopMeasurement)
            {
                final long sequence = producer.claimedSequence();
                final int slot = producer.tryClaim();
                if (slot >= 0)
                {
                    producer.frame(slot).set(JAVA_LONG, 0, sequence);
                    producer.publish();
                    return;
                }
                idle = idle(idle);
            }
        }

        long consume(final int index, final Control control)
        {
            final FrameConsumer consumer = consumers[index];
            int idle = 0;
            while (!control.stopMeasurement)
            {
                final int slot = consumer.tryAcquire();
                if (slot >= 0)
                {
                    final long sequence = consumer.frame(slot).get(JAVA_LONG, 0);
                    consumer.release();
                    return sequence;
                }
                idle = idle(idle);
            }
            return -1;
        }

        long consumeAll(final Control control)
        {
            long sum = 0;
            for (int i = 0; i < consumerCount; i++)
            {
                sum += consume(i, control);
            }
            return sum;
        }

        private static int idle(final int idle)
        {
            if (idle < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            return idle + 1;
        }
    }

    /** A ring with one consumer, shared by the threads of one group. */
    @State(Scope.Group)
    public static class OneConsumer
    {
        final Ring ring = new Ring(1);

        @Setup
        public void allocate()
        {
            ring.allocate();
        }

        @TearDown
        public void close()
        {
            ring.close();
        }
    }

    /** A ring with three consumers, shared by the threads of one group. */
    @State(Scope.Group)
    public static class ThreeConsumers
    {
        final Ring ring = new Ring(3);

        @Setup
        public void allocate()
        {
            ring.allocate();
        }

        @TearDown
        public void close()
        {
            ring.close();
        }
    }

    @Benchmark
    @Group("oneConsumer")
    @GroupThreads(1)
    public void produceToOne(final OneConsumer state, final Control control)
    {
        state.ring.produce(control);
    }

    @Benchmark
    @Group("oneConsumer")
    @GroupThreads(1)
    public long consumeOne(final OneConsumer state, final Control control)
    {
        return state.ring.consume(0, control);
    }

    @Benchmark
    @Group("threeConsumers")
    @GroupThreads(1)
    public void produceToThree(final ThreeConsumers state, final Control control)
    {
        state.ring.produce(control);
    }

    @Benchmark
    @Group("threeConsumers")
    @GroupThreads(3)
    public long consumeThree(final ThreeConsumers state, final ThreadParams thread, final Control control)
    {
        return state.ring.consume(thread.getSubgroupThreadIndex(), control);
    }

    @Benchmark
    @Group("threeConsumersOneThread")
    @GroupThreads(1)
    public void produceToThreeOnOneThread(final ThreeConsumers state, final Control control)
    {
        state.ring.produce(control);
    }

    @Benchmark
    @Group("threeConsumersOneThread")
    @GroupThreads(1)
    public long consumeThreeOnOneThread(final ThreeConsumers state, final Control control)
    {
        return state.ring.consumeAll(control);
    }
}
