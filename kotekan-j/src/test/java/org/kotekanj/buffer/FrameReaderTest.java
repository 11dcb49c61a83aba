package org.kotekanj.buffer;

import org.junit.jupiter.api.Test;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.status.MetricsRegistry;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readers never gate producers; the per-slot generation tells a reader whether its copy is still valid. */
class FrameReaderTest
{
    @Test
    void shouldNeverHoldTheProducerBackAndTellWhichFramesAreStillHeld()
    {
        try (FrameBuffer buffer = new FrameBuffer("ring", 4, 64, HugePages.OFF, -1, null))
        {
            final FrameProducer producer = buffer.producer("recv");
            final FrameReader reader = buffer.reader("baseband");
            buffer.allocate(MetricsRegistry.inMemory());
            for (long s = 0; s < 4; s++)
            {
                assertTrue(producer.tryClaim() >= 0);
                producer.frame(reader.slotOf(s)).set(JAVA_LONG, 0, s);
                producer.publish();
            }
            assertTrue(reader.readable(0));
            final long copied = reader.frame(reader.slotOf(0)).get(JAVA_LONG, 0);
            // The producer laps the reader: no waiting, and the reader sees that frame 0 is gone.
            for (long s = 4; s < 10; s++)
            {
                assertTrue(producer.tryClaim() >= 0, "a reader never gates the producer");
                producer.publish();
            }
            assertEquals(0, copied);
            assertFalse(reader.stillHolds(0));
            assertFalse(reader.readable(5 - 4));
            assertTrue(reader.readable(9));
            assertEquals(6, reader.oldestIntact());
            assertEquals(10, reader.published());
        }
    }

    @Test
    void shouldMarkAClaimedFrameUnreadableBeforeItIsWritten()
    {
        try (FrameBuffer buffer = new FrameBuffer("ring", 2, 64, HugePages.OFF, -1, null))
        {
            final FrameProducer producer = buffer.producer("recv");
            final FrameReader reader = buffer.reader("baseband");
            buffer.allocate(MetricsRegistry.inMemory());
            producer.tryClaim();
            producer.publish();
            producer.tryClaim();
            producer.publish();
            assertTrue(reader.readable(0));
            producer.tryClaim();   // sequence 2 reuses frame 0's slot: claimed, not yet written or published
            assertFalse(reader.stillHolds(0));
            assertFalse(reader.readable(2));
        }
    }

    @Test
    void shouldStillGateOnConsumersWhenReadersShareTheBuffer()
    {
        try (FrameBuffer buffer = new FrameBuffer("ring", 2, 64, HugePages.OFF, -1, null))
        {
            final FrameProducer producer = buffer.producer("recv");
            final FrameConsumer correlator = buffer.consumer("corr");
            buffer.reader("baseband");
            buffer.allocate(MetricsRegistry.inMemory());
            producer.tryClaim();
            producer.publish();
            producer.tryClaim();
            producer.publish();
            assertEquals(-1, producer.tryClaim(), "the correlator, a consumer, still holds both frames");
            correlator.tryAcquire();
            correlator.release();
            assertTrue(producer.tryClaim() >= 0);
        }
    }
}
