package org.kotekanj.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;
import org.kotekanj.nativeio.PageBacking;
import org.kotekanj.status.MetricsRegistry;

/**
 * A ring of fixed-size frames in off-heap memory, shared by named producers and consumers with Kotekan's semantics:
 * a frame becomes readable when <em>every</em> producer has marked it full, and reusable when <em>every</em> consumer
 * has released it (several receive cores can fill disjoint parts of one frame; the correlator and the baseband ring
 * can both read it).
 *
 * <p>Each side keeps a sequence cursor (frames published or released so far) in its own cache line; frame {@code s}
 * lives in slot {@code s % numFrames}. Hand-off is lock-free and allocation-free: a claim or acquire reads the other
 * side's cursors only when its cached limit is exhausted. Memory is mapped at {@link #allocate} (not at
 * construction), so {@code check} can build a whole pipeline without touching RAM.
 */
public final class FrameBuffer implements AutoCloseable
{
    /** Longs between cursors: 128 bytes, two cache lines, so adjacent-line prefetch does not cause false sharing. */
    static final int PAD = 16;
    static final VarHandle CURSOR = MethodHandles.arrayElementVarHandle(long[].class);
    /**
     * Tags are stored with the low {@value #TAG_LAP_BITS} bits of the lap (sequence / numFrames) they belong to:
     * consecutive uses of a slot differ by one lap, and producers are never a lap apart, so 15 bits always tell a
     * current agreement from a stale one.
     */
    static final int TAG_LAP_BITS = 15;
    static final long TAG_LAP_MASK = (1L << TAG_LAP_BITS) - 1;
    static final long TAG_UNSET = -1L;
    /** Largest tag {@link FrameProducer#agree} accepts: any 48-bit sample counter or frame index. */
    public static final long MAX_TAG = (1L << (63 - TAG_LAP_BITS)) - 1;

    private final String name;
    private final int numFrames;
    private final long frameSize;
    private final HugePages hugePages;
    private final int numaNode;
    private final String metadataKind;
    private final List<FrameProducer> producers = new ArrayList<>();
    private final List<FrameConsumer> consumers = new ArrayList<>();
    private final List<FrameReader> readers = new ArrayList<>();
    private final Map<Class<?>, Object> attachments = new HashMap<>();
    private int metadataSize = FrameMetadataDescriptor.MIN_LENGTH;
    private String producedMetadataKind;

    private long[] agreedTags;
    private long[] generations;
    private long[] headerShares;
    private long[] producerCursors;
    private long[] claimCursors;
    private long[] consumerCursors;
    private MappedMemory frames;
    private Arena metadataArena;
    private MemorySegment[] frameSegments;
    private MemorySegment[] metadataSegments;
    private volatile boolean allocated;

    /**
     * @param metadataKind the metadata pool kind declared in the config, or {@code null} to accept what the producers
     *                     declare.
     */
    public FrameBuffer(final String name, final int numFrames, final long frameSize, final HugePages hugePages,
        final int numaNode, final String metadataKind)
    {
        if (numFrames < 1)
        {
            throw new IllegalArgumentException("num_frames must be at least 1: " + numFrames);
        }
        if (frameSize < 1)
        {
            throw new IllegalArgumentException("frame_size must be positive: " + frameSize);
        }
        this.name = name;
        this.numFrames = numFrames;
        this.frameSize = frameSize;
        this.hugePages = hugePages;
        this.numaNode = numaNode;
        this.metadataKind = metadataKind;
    }

    public String name()
    {
        return name;
    }

    public int numFrames()
    {
        return numFrames;
    }

    public long frameSize()
    {
        return frameSize;
    }

    public HugePages hugePages()
    {
        return hugePages;
    }

    /** Registers a producer; only before {@link #allocate}. */
    public synchronized FrameProducer producer(final String stageName)
    {
        requireNotAllocated();
        final FrameProducer producer = new FrameProducer(this, producers.size(), stageName);
        producers.add(producer);
        return producer;
    }

    /** Registers a consumer; only before {@link #allocate}. */
    public synchronized FrameConsumer consumer(final String stageName)
    {
        requireNotAllocated();
        final FrameConsumer consumer = new FrameConsumer(this, consumers.size(), stageName);
        consumers.add(consumer);
        return consumer;
    }

    /**
     * Registers a reader that does not gate the producers (the baseband ring); only before {@link #allocate}.
     * See {@link FrameReader}.
     */
    public synchronized FrameReader reader(final String stageName)
    {
        requireNotAllocated();
        final FrameReader reader = new FrameReader(this, stageName);
        readers.add(reader);
        return reader;
    }

    /**
     * The one object of {@code kind} attached to this buffer, created by {@code create} on first use: state that every
     * producer of the buffer must share beyond the frame hand-off (the receive path's re-alignment epoch when several
     * receive cores fill one buffer). For build time and rare calls: it takes a lock.
     */
    public synchronized <T> T attachment(final Class<T> kind, final Supplier<? extends T> create)
    {
        return kind.cast(attachments.computeIfAbsent(kind, k -> create.get()));
    }

    public List<FrameReader> readers()
    {
        return Collections.unmodifiableList(readers);
    }

    public List<FrameProducer> producers()
    {
        return Collections.unmodifiableList(producers);
    }

    public List<FrameConsumer> consumers()
    {
        return Collections.unmodifiableList(consumers);
    }

    /**
     * A producer declares the metadata it writes; the slot size is the largest declared. Returns an error message if
     * the kind conflicts with the config's metadata pool or another producer, else {@code null}.
     */
    public synchronized String declareMetadata(final String kind, final int bytes)
    {
        if (metadataKind != null && !metadataKind.equals(kind))
        {
            return "writes " + kind + " metadata but buffer " + name + " uses a " + metadataKind + " metadata pool";
        }
        if (producedMetadataKind != null && !producedMetadataKind.equals(kind))
        {
            return "writes " + kind + " metadata but another producer of " + name + " writes " + producedMetadataKind;
        }
        producedMetadataKind = kind;
        metadataSize = Math.max(metadataSize, (bytes + 63) & ~63);
        return null;
    }

    /** The metadata kind frames carry (declared by the pool or the producers), or {@code null} if none. */
    public String metadataKind()
    {
        return metadataKind != null ? metadataKind : producedMetadataKind;
    }

    public int metadataSize()
    {
        return metadataSize;
    }

    /** Maps the frames and creates the hand-off cursors and wait counters; the buffer is then ready for use. */
    public synchronized void allocate(final MetricsRegistry metrics)
    {
        requireNotAllocated();
        agreedTags = new long[numFrames];
        java.util.Arrays.fill(agreedTags, TAG_UNSET);
        generations = new long[numFrames];
        java.util.Arrays.fill(generations, -1L);
        headerShares = new long[numFrames];
        java.util.Arrays.fill(headerShares, TAG_UNSET);
        producerCursors = new long[Math.max(1, producers.size()) * PAD];
        claimCursors = new long[Math.max(1, producers.size()) * PAD];
        consumerCursors = new long[Math.max(1, consumers.size()) * PAD];
        frames = MappedMemory.map(frameSize * numFrames, hugePages, numaNode);
        metadataArena = Arena.ofShared();
        final MemorySegment metadata = metadataArena.allocate((long)metadataSize * numFrames, 64);
        frameSegments = new MemorySegment[numFrames];
        metadataSegments = new MemorySegment[numFrames];
        for (int i = 0; i < numFrames; i++)
        {
            frameSegments[i] = frames.segment().asSlice(i * frameSize, frameSize);
            metadataSegments[i] = metadata.asSlice((long)i * metadataSize, metadataSize);
        }
        for (final FrameProducer producer : producers)
        {
            producer.bind(metrics);
        }
        for (final FrameConsumer consumer : consumers)
        {
            consumer.bind(metrics);
        }
        allocated = true;
    }

    public boolean isAllocated()
    {
        return allocated;
    }

    MemorySegment frameSegment(final int slot)
    {
        return frameSegments[slot];
    }

    MemorySegment metadataSegment(final int slot)
    {
        return metadataSegments[slot];
    }

    /** The whole mapped ring, e.g. for a baseband reader that addresses frames by sequence. */
    public MemorySegment memory()
    {
        return frames.segment();
    }

    /** What the kernel backs the frames with. */
    public PageBacking backing()
    {
        return frames == null ? PageBacking.UNKNOWN : frames.backing();
    }

    int slotOf(final long sequence)
    {
        return (int)(sequence % numFrames);
    }

    /**
     * The tag of frame {@code sequence}: the first proposal wins, later callers get the winner. Lock-free (one CAS);
     * valid because every producer is within {@code numFrames} of the others, which claiming guarantees.
     */
    long agree(final long sequence, final long proposal)
    {
        if (proposal < 0 || proposal > MAX_TAG)
        {
            throw new IllegalArgumentException("frame tag out of range: " + proposal);
        }
        final int slot = slotOf(sequence);
        final long lap = sequence / numFrames & TAG_LAP_MASK;
        final long mine = proposal << TAG_LAP_BITS | lap;
        while (true)
        {
            final long current = (long)CURSOR.getAcquire(agreedTags, slot);
            if (current != TAG_UNSET && (current & TAG_LAP_MASK) == lap)
            {
                return current >>> TAG_LAP_BITS;
            }
            if (CURSOR.compareAndSet(agreedTags, slot, current, mine))
            {
                return proposal;
            }
        }
    }

    /**
     * Records that {@code sequence} now occupies its slot, before the producer writes into it (the write side of
     * the seqlock {@link FrameReader} uses). Several producers of one frame write the same value. The full fence
     * orders this store before the frame's data, including streaming (non-temporal) stores.
     */
    void claimGeneration(final long sequence)
    {
        CURSOR.setRelease(generations, slotOf(sequence), sequence);
        VarHandle.fullFence();
    }

    long generation(final int slot)
    {
        return (long)CURSOR.getAcquire(generations, slot);
    }

    /**
     * Adds one producer's share of a frame's header totals (a count and flag bits) for frame {@code sequence}: the
     * shares of every producer are summed and OR-ed in a per-slot word (one CAS, tagged with the lap like
     * {@link #agree}); the producer whose share completes the set gets the merged word, everyone else -1. That
     * producer alone writes the totals into the frame's metadata, before it publishes, so they are in place when
     * the frame becomes readable.
     */
    long contribute(final long sequence, final long count, final int flags)
    {
        if (count < 0 || count > HeaderShare.MAX_COUNT || (flags & ~HeaderShare.FLAG_MASK) != 0)
        {
            throw new IllegalArgumentException("header share out of range: " + count + ", flags " + flags);
        }
        final int slot = slotOf(sequence);
        final long lap = sequence / numFrames & TAG_LAP_MASK;
        while (true)
        {
            final long current = (long)CURSOR.getAcquire(headerShares, slot);
            final boolean fresh = current == TAG_UNSET || HeaderShare.lap(current) != lap;
            final long merged = fresh ? HeaderShare.of(lap, 1, flags, count) :
                HeaderShare.of(lap, HeaderShare.producers(current) + 1, HeaderShare.flags(current) | flags,
                    HeaderShare.count(current) + count);
            if (CURSOR.compareAndSet(headerShares, slot, current, merged))
            {
                return HeaderShare.producers(merged) == producers.size() ? merged : -1;
            }
        }
    }

    void publishCursor(final int producer, final long published)
    {
        CURSOR.setRelease(producerCursors, producer * PAD, published);
    }

    void claimCursor(final int producer, final long claimed)
    {
        CURSOR.setOpaque(claimCursors, producer * PAD, claimed);
    }

    void releaseCursor(final int consumer, final long released)
    {
        CURSOR.setRelease(consumerCursors, consumer * PAD, released);
    }

    /** Frames published by every producer: frames {@code [0, result)} are readable. */
    public long minPublished()
    {
        return min(producerCursors, producers.size());
    }

    /**
     * Frames released by every consumer: frames below {@code result + numFrames} may be claimed. Never more than the
     * frames every producer published, so producers stay within one lap of each other even when only readers, which
     * do not gate, read the buffer.
     */
    public long minReleased()
    {
        return Math.min(min(consumerCursors, consumers.size()), min(producerCursors, producers.size()));
    }

    /** One past the newest sequence any producer has claimed. */
    long maxClaimed()
    {
        long max = 0;
        for (int i = 0; i < producers.size(); i++)
        {
            max = Math.max(max, (long)CURSOR.getOpaque(claimCursors, i * PAD));
        }
        return max;
    }

    private static long min(final long[] cursors, final int count)
    {
        if (count == 0)
        {
            return Long.MAX_VALUE / 2;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final long value = (long)CURSOR.getAcquire(cursors, i * PAD);
            if (value < min)
            {
                min = value;
            }
        }
        return min;
    }

    /** Frames currently full: published by every producer and not yet released by every consumer. */
    public long framesFull()
    {
        return allocated ? Math.max(0, minPublished() - minReleased()) : 0;
    }

    /** Frames claimed by some producer and not yet released by every consumer (full or being filled). */
    public long framesInFlight()
    {
        return allocated ? Math.max(0, maxClaimed() - minReleased()) : 0;
    }

    /** True when every producer has closed and every consumer has released everything they published. */
    public boolean isDrained()
    {
        if (!allocated)
        {
            return true;
        }
        for (final FrameProducer producer : producers)
        {
            if (!producer.isClosed())
            {
                return false;
            }
        }
        return minReleased() >= minPublished();
    }

    /** True when every producer has closed: consumers that have caught up will get no more frames. */
    public boolean producersClosed()
    {
        for (final FrameProducer producer : producers)
        {
            if (!producer.isClosed())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close()
    {
        allocated = false;
        if (frames != null)
        {
            frames.close();
            frames = null;
        }
        if (metadataArena != null)
        {
            metadataArena.close();
            metadataArena = null;
        }
    }

    private void requireNotAllocated()
    {
        if (allocated)
        {
            throw new IllegalStateException("buffer " + name + " is already allocated");
        }
    }

    @Override
    public String toString()
    {
        return "FrameBuffer[" + name + ", " + numFrames + " x " + frameSize + " B]";
    }
}
