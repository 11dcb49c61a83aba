package org.kotekanj.buffer;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent producers and consumers on one buffer, each on its own thread, for a bounded time. Producer {@code p}
 * writes the frame's sequence number into its own 8 bytes of the frame; consumer {@code c} writes it into its own 8
 * bytes when it is done. So a consumer that sees any producer's region not holding the sequence number read a frame
 * before every producer published it (or had it overwritten while holding it), and a producer that sees any
 * consumer's region not holding the previous occupant's sequence number claimed a frame before every consumer
 * released it. Producers and consumers hold random windows of several frames.
 */
class FrameBufferStressTest
{
    private static final long RUN_NANOS = 1_000_000_000L;
    /** Producers go on past {@link #RUN_NANOS} until every one published this many frames (a loaded machine). */
    private static final long MIN_FRAMES = 1000;
    /** ... but no longer than this: a machine that cannot hand off 1000 frames in it has a real problem. */
    private static final long MAX_RUN_NANOS = 20_000_000_000L;
    /** How long consumers may take to drain and see the end of stream once the producers stop. */
    private static final long DRAIN_NANOS = 10_000_000_000L;
    private static final int WORDS = 8;

    private final AtomicReference<String> violation = new AtomicReference<>();
    /** Frames each producer published so far, for the others to read. */
    private AtomicLongArray progress;

    @Test
    void shouldHandOffEveryFrameOnceBetweenOneProducerAndOneConsumer() throws Exception
    {
        stress(1, 1, 2);
    }

    @Test
    void shouldNeitherReadEarlyNorOverwriteEarlyWithThreeProducersAndThreeConsumers() throws Exception
    {
        stress(3, 3, 4);
    }

    private void stress(final int producerCount, final int consumerCount, final int numFrames) throws Exception
    {
        final FrameBuffer buffer = new FrameBuffer("stress", numFrames, (long)WORDS * (producerCount + consumerCount),
            HugePages.OFF, -1, null);
        final List<FrameProducer> producers = new ArrayList<>();
        final List<FrameConsumer> consumers = new ArrayList<>();
        for (int p = 0; p < producerCount; p++)
        {
            producers.add(buffer.producer("/p" + p));
        }
        for (int c = 0; c < consumerCount; c++)
        {
            consumers.add(buffer.consumer("/c" + c));
        }
        buffer.allocate(MetricsRegistry.inMemory());
        try
        {
            for (int slot = 0; slot < numFrames; slot++)
            {
                // Before anything is handed off, every region holds "sequence -numFrames + slot" (the frame before).
                for (int region = 0; region < producerCount + consumerCount; region++)
                {
                    buffer.memory().set(JAVA_LONG_UNALIGNED, slot * buffer.frameSize() + (long)WORDS * region,
                        slot - numFrames);
                }
            }
            progress = new AtomicLongArray(producerCount);
            final long start = System.nanoTime();
            final long deadline = start + RUN_NANOS;
            final long hardDeadline = start + MAX_RUN_NANOS;
            final long[] published = new long[producerCount];
            final long[] consumed = new long[consumerCount];
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producerCount; p++)
            {
                final int index = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() ->
                    published[index] = produce(producers.get(index), index, producerCount, consumerCount, deadline,
                        hardDeadline)));
            }
            for (int c = 0; c < consumerCount; c++)
            {
                final int index = c;
                threads.add(Thread.ofPlatform().name("consumer-" + c).start(() ->
                    consumed[index] = consume(consumers.get(index), index, producerCount, hardDeadline + DRAIN_NANOS)));
            }
            for (final Thread thread : threads)
            {
                thread.join((MAX_RUN_NANOS + DRAIN_NANOS) / 1_000_000 + 5_000);
                assertFalse(thread.isAlive(), thread.getName() + " is stuck");
            }
            assertNull(violation.get());
            long readable = Long.MAX_VALUE;
            for (final long count : published)
            {
                readable = Math.min(readable, count);
            }
            assertTrue(readable >= MIN_FRAMES, "only " + readable + " frames in " + MAX_RUN_NANOS / 1_000_000 + " ms");
            for (int c = 0; c < consumerCount; c++)
            {
                assertEquals(readable, consumed[c], "consumer " + c + " reads every frame all producers published");
            }
            assertTrue(buffer.isDrained());
        }
        finally
        {
            buffer.close();
        }
    }

    private long produce(final FrameProducer producer, final int index, final int producerCount,
        final int consumerCount, final long deadline, final long hardDeadline)
    {
        final SplittableRandom random = new SplittableRandom(index);
        final int numFrames = producer.buffer().numFrames();
        while (violation.get() == null && keepProducing(deadline, hardDeadline))
        {
            final int window = 1 + random.nextInt(Math.min(3, numFrames));
            while (producer.openFrames() < window)
            {
                final long sequence = producer.claimedSequence();
                final int slot = producer.tryClaim();
                if (slot < 0)
                {
                    break;
                }
                final MemorySegment frame = producer.frame(slot);
                for (int c = 0; c < consumerCount; c++)
                {
                    expect(frame, producerCount + c, sequence - numFrames, "producer " + index + " claimed frame " +
                        sequence + " before consumer " + c + " released frame " + (sequence - numFrames));
                }
                frame.set(JAVA_LONG_UNALIGNED, (long)WORDS * index, sequence);
            }
            if (producer.openFrames() > 0 && (producer.openFrames() >= window || random.nextBoolean()))
            {
                producer.publish();
                progress.set(index, producer.publishedSequence());
            }
            else
            {
                Thread.yield();
            }
        }
        while (producer.openFrames() > 0)
        {
            producer.publish();
        }
        producer.close();
        return producer.publishedSequence();
    }

    /** Until the run time is over and every producer published {@link #MIN_FRAMES}, or the hard deadline. */
    private boolean keepProducing(final long deadline, final long hardDeadline)
    {
        final long now = System.nanoTime();
        if (now < deadline)
        {
            return true;
        }
        if (now >= hardDeadline)
        {
            return false;
        }
        for (int p = 0; p < progress.length(); p++)
        {
            if (progress.get(p) < MIN_FRAMES)
            {
                return true;
            }
        }
        return false;
    }

    private long consume(final FrameConsumer consumer, final int index, final int producerCount, final long deadline)
    {
        final SplittableRandom random = new SplittableRandom(100 + index);
        final int numFrames = consumer.buffer().numFrames();
        long acquired = 0;
        long released = 0;
        while (violation.get() == null)
        {
            final int window = 1 + random.nextInt(Math.min(3, numFrames));
            while (acquired - released < window)
            {
                final int slot = consumer.tryAcquire();
                if (slot < 0)
                {
                    break;
                }
                checkProducers(consumer.frame(slot), producerCount, acquired, "consumer " + index + " acquired");
                acquired++;
            }
            if (acquired > released && (acquired - released >= window || random.nextBoolean()))
            {
                final MemorySegment frame = consumer.frame(consumer.buffer().slotOf(released));
                checkProducers(frame, producerCount, released, "consumer " + index + " held");
                frame.set(JAVA_LONG_UNALIGNED, (long)WORDS * (producerCount + index), released);
                consumer.release();
                released++;
            }
            else if (acquired == released && consumer.isEndOfStream())
            {
                return released;
            }
            else if (System.nanoTime() > deadline)
            {
                violation.compareAndSet(null, "consumer " + index + " saw no end of stream " +
                    DRAIN_NANOS / 1_000_000 + " ms after the producers stopped");
            }
            else
            {
                Thread.yield();
            }
        }
        return released;
    }

    private void checkProducers(final MemorySegment frame, final int producerCount, final long sequence,
        final String what)
    {
        for (int p = 0; p < producerCount; p++)
        {
            expect(frame, p, sequence, what + " frame " + sequence + " while producer " + p + "'s part held");
        }
    }

    private void expect(final MemorySegment frame, final int region, final long expected, final String what)
    {
        final long actual = frame.get(JAVA_LONG_UNALIGNED, (long)WORDS * region);
        if (actual != expected)
        {
            violation.compareAndSet(null, what + " " + actual);
        }
    }
}
