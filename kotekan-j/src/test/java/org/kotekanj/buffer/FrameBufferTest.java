package org.kotekanj.buffer;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kotekanj.nativeio.HugePageStatus;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameBufferTest
{
    private final MetricsRegistry metrics = MetricsRegistry.inMemory();
    private FrameBuffer buffer;

    @AfterEach
    void close()
    {
        if (buffer != null)
        {
            buffer.close();
        }
    }

    private long counter(final String label)
    {
        final CountersReader reader = metrics.reader();
        final long[] found = {-1};
        reader.forEach((value, id, text) ->
        {
            if (text.equals(label))
            {
                found[0] = value;
            }
        });
        return found[0];
    }

    @Test
    void shouldMakeAFrameReadableOnlyWhenEveryProducerHasPublishedIt()
    {
        buffer = new FrameBuffer("buf", 4, 64, HugePages.OFF, -1, null);
        final FrameProducer a = buffer.producer("/a");
        final FrameProducer b = buffer.producer("/b");
        final FrameConsumer reader = buffer.consumer("/reader");
        buffer.allocate(metrics);

        assertEquals(0, a.tryClaim());
        assertEquals(1, a.tryClaim());
        a.publish();
        a.publish();
        assertEquals(-1, reader.tryAcquire(), "b has not published frame 0");
        assertEquals(0, b.tryClaim());
        b.publish();
        assertEquals(0, reader.tryAcquire());
        assertEquals(-1, reader.tryAcquire(), "b has not published frame 1");
        assertEquals(2, counter("kotekan_buffer_consumer_waits_total{stage_name=\"/reader\",buffer=\"buf\"}"));
        assertEquals(1, buffer.framesFull());
        assertEquals(2, buffer.framesInFlight());
    }

    @Test
    void shouldGiveEveryProducerTheSameAttachmentOfAKind()
    {
        buffer = new FrameBuffer("buf", 4, 64, HugePages.OFF, -1, null);
        final StringBuilder first = buffer.attachment(StringBuilder.class, StringBuilder::new);
        assertSame(first, buffer.attachment(StringBuilder.class, () -> new StringBuilder("another")));
        assertNotSame(first, new FrameBuffer("other", 4, 64, HugePages.OFF, -1, null)
            .attachment(StringBuilder.class, StringBuilder::new), "one per buffer");
    }

    @Test
    void shouldReuseAFrameOnlyWhenEveryConsumerHasReleasedIt()
    {
        buffer = new FrameBuffer("buf", 2, 64, HugePages.OFF, -1, null);
        final FrameProducer producer = buffer.producer("/p");
        final FrameConsumer fast = buffer.consumer("/fast");
        final FrameConsumer slow = buffer.consumer("/slow");
        buffer.allocate(metrics);

        for (int i = 0; i < 2; i++)
        {
            assertEquals(i, producer.tryClaim());
            producer.publish();
        }
        assertEquals(-1, producer.tryClaim(), "both frames are full");
        assertEquals(0, fast.tryAcquire());
        fast.release();
        assertEquals(-1, producer.tryClaim(), "slow still holds frame 0");
        assertEquals(0, slow.tryAcquire());
        slow.release();
        assertEquals(0, producer.tryClaim(), "frame 2 reuses slot 0");
        assertEquals(-1, producer.tryClaim());
        assertEquals(3, counter("kotekan_buffer_producer_waits_total{stage_name=\"/p\",buffer=\"buf\"}"));
        assertEquals(3, producer.claimedSequence());
        assertEquals(1, producer.openFrames());
    }

    @Test
    void shouldRefusePublishingOrReleasingAFrameNotHeld()
    {
        buffer = new FrameBuffer("buf", 2, 64, HugePages.OFF, -1, null);
        final FrameProducer producer = buffer.producer("/p");
        final FrameConsumer consumer = buffer.consumer("/c");
        buffer.allocate(metrics);
        assertEquals("/p published a frame of buf it never claimed",
            assertThrows(IllegalStateException.class, producer::publish).getMessage());
        assertEquals("/c released a frame of buf it never acquired",
            assertThrows(IllegalStateException.class, consumer::release).getMessage());
        assertEquals("buffer buf is already allocated",
            assertThrows(IllegalStateException.class, () -> buffer.consumer("/late")).getMessage());
    }

    @Test
    void shouldStopWaitingForAConsumerThatLeaves()
    {
        buffer = new FrameBuffer("buf", 1, 64, HugePages.OFF, -1, null);
        final FrameProducer producer = buffer.producer("/p");
        final FrameConsumer stays = buffer.consumer("/stays");
        final FrameConsumer leaves = buffer.consumer("/leaves");
        buffer.allocate(metrics);
        assertEquals(0, producer.tryClaim());
        producer.publish();
        assertEquals(0, stays.tryAcquire());
        stays.release();
        assertEquals(-1, producer.tryClaim());
        leaves.close();
        assertEquals(0, producer.tryClaim());
    }

    @Test
    void shouldReachEndOfStreamOnlyWhenEveryProducerClosedAndEveryFrameWasRead()
    {
        buffer = new FrameBuffer("buf", 4, 64, HugePages.OFF, -1, null);
        final FrameProducer a = buffer.producer("/a");
        final FrameProducer b = buffer.producer("/b");
        final FrameConsumer consumer = buffer.consumer("/c");
        buffer.allocate(metrics);
        a.tryClaim();
        b.tryClaim();
        a.publish();
        b.publish();
        a.close();
        assertFalse(consumer.isEndOfStream(), "b is still open");
        b.close();
        assertFalse(consumer.isEndOfStream(), "frame 0 is unread");
        assertFalse(buffer.isDrained());
        assertEquals(0, consumer.tryAcquire());
        assertTrue(consumer.isEndOfStream());
        assertFalse(buffer.isDrained(), "frame 0 is held");
        consumer.release();
        assertTrue(buffer.isDrained());
    }

    @Test
    void shouldCarryMetadataOfOneKindSizedForTheLargestProducer()
    {
        buffer = new FrameBuffer("buf", 2, 64, HugePages.OFF, -1, "SampleMetadata");
        assertNull(buffer.declareMetadata("SampleMetadata", 100));
        assertEquals(128, buffer.metadataSize());
        assertEquals("writes OtherMetadata metadata but buffer buf uses a SampleMetadata metadata pool",
            buffer.declareMetadata("OtherMetadata", 8));
        final FrameBuffer open = new FrameBuffer("open", 2, 64, HugePages.OFF, -1, null);
        assertNull(open.declareMetadata("A", 8));
        assertEquals("writes B metadata but another producer of open writes A", open.declareMetadata("B", 8));
        assertEquals("A", open.metadataKind());
    }

    @Test
    void shouldHandOffFramesWithoutAllocating()
    {
        buffer = new FrameBuffer("buf", 4, 64, HugePages.OFF, -1, null);
        final FrameProducer producer = buffer.producer("/p");
        final List<FrameConsumer> consumers = List.of(buffer.consumer("/c1"), buffer.consumer("/c2"));
        buffer.allocate(metrics);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        handOff(producer, consumers, 200_000);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long sum = handOff(producer, consumers, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long expected = 0;
        for (long sequence = 200_000; sequence < 1_200_000; sequence++)
        {
            expected += consumers.size() * sequence;
        }
        assertEquals(expected, sum, "every frame is read with the sequence number it was written with");
        assertTrue(allocated < 1024, allocated + " bytes allocated for 1,000,000 hand-offs");
    }

    /** Publishes {@code frames} frames (each carrying its sequence number) and reads them from every consumer. */
    private static long handOff(final FrameProducer producer, final List<FrameConsumer> consumers, final int frames)
    {
        long sum = 0;
        for (int i = 0; i < frames; i++)
        {
            final long sequence = producer.claimedSequence();
            final int slot = producer.tryClaim();
            producer.frame(slot).set(JAVA_LONG_UNALIGNED, 0, sequence);
            producer.publish();
            for (int c = 0; c < consumers.size(); c++)
            {
                final FrameConsumer consumer = consumers.get(c);
                sum += consumer.frame(consumer.tryAcquire()).get(JAVA_LONG_UNALIGNED, 0);
                consumer.release();
            }
        }
        return sum;
    }

    /** 4 KiB pages: what is under test is addressing beyond 2^31, and huge-page compaction can take seconds. */
    @Test
    void shouldHandOffAFrameLargerThan2GiB()
    {
        final long frameSize = (5L << 30) / 2;
        buffer = new FrameBuffer("large", 1, frameSize, HugePages.OFF, -1, null);
        final FrameProducer producer = buffer.producer("/p");
        final FrameConsumer consumer = buffer.consumer("/c");
        buffer.allocate(metrics);

        final long[] offsets = {0, Integer.MAX_VALUE - 3, (1L << 31) + 12_345, frameSize - 8};
        final int slot = producer.tryClaim();
        assertEquals(frameSize, producer.frame(slot).byteSize());
        for (final long offset : offsets)
        {
            producer.frame(slot).set(JAVA_LONG_UNALIGNED, offset, ~offset);
        }
        producer.publish();
        final int read = consumer.tryAcquire();
        for (final long offset : offsets)
        {
            assertEquals(~offset, consumer.frame(read).get(JAVA_LONG_UNALIGNED, offset), "offset " + offset);
        }
        consumer.release();
        assertEquals(frameSize, buffer.memory().byteSize());
        assertTrue(buffer.backing().sizeBytes() >= frameSize, buffer.backing().toString());
        assertEquals("4k", buffer.backing().kind());
    }

    @Test
    void shouldBackAnAutoBufferWithTransparentHugePages()
    {
        buffer = new FrameBuffer("huge", 4, 8L << 20, HugePages.AUTO, -1, null);
        buffer.producer("/p");
        buffer.consumer("/c");
        buffer.allocate(metrics);
        if (HugePageStatus.transparentMode().equals("never"))
        {
            assertEquals("4k", buffer.backing().kind());
        }
        else
        {
            assertTrue(buffer.backing().anonHugeBytes() > 0, "hugepages: auto asks for transparent huge pages: " +
                buffer.backing() + ", " + HugePageStatus.read());
        }
    }
}
