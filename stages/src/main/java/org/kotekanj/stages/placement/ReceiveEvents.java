package org.kotekanj.stages.placement;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.kotekanj.fengine.StreamId;
import org.kotekanj.log.Log;

/**
 * The receive thread's events that an operator should read about (F-engine resets and jumps), kept off the hot
 * path: the receive thread writes a fixed-size record into a one-to-one ring (no lock, no allocation, never waits; a
 * full ring drops the record and counts it), and {@link #drain} (the metrics sampler's thread, and the stage at
 * close) turns records into
 * <ul>
 *   <li>a distinct-error log (Agrona's {@link DistinctErrorLog}): one entry per kind of event and stream, with its
 *       count and first and last time, in a memory-mapped file that {@link #read} reads from another process while
 *       this one runs, like the counters file (and, like it, removed when the stage closes);</li>
 *   <li>human log lines, at most one per kind of event per {@code logInterval}, saying how many were not logged.</li>
 * </ul>
 * The counters stay exact whatever is dropped here: this is the narrative, not the accounting.
 */
public final class ReceiveEvents implements AutoCloseable
{
    public static final int RESET = 1;
    public static final int JUMP = 2;
    private static final int KINDS = 3;
    private static final int RECORD_LENGTH = 24;
    private static final int RING_BYTES = 64 * 1024;
    private static final int ERROR_LOG_BYTES = 256 * 1024;

    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[RECORD_LENGTH]);
    private final DistinctErrorLog errors;
    private final MappedByteBuffer mapped;
    private final Path file;
    private final Log log;
    private final long logIntervalNanos;
    private final long[] lastLine = new long[KINDS];
    private final long[] notLogged = new long[KINDS];
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private boolean closed;

    /**
     * @param file where the distinct-error log is mapped (readable from outside), or null to keep it in memory.
     */
    public ReceiveEvents(final Path file, final Log log, final long logIntervalNanos)
    {
        this.file = file;
        this.log = log;
        this.logIntervalNanos = logIntervalNanos;
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final AtomicBuffer buffer;
        if (file == null)
        {
            mapped = null;
            buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(ERROR_LOG_BYTES, 64));
        }
        else
        {
            mapped = map(file);
            buffer = new UnsafeBuffer(mapped);
        }
        this.errors = new DistinctErrorLog(buffer, SystemEpochClock.INSTANCE);
        java.util.Arrays.fill(lastLine, Long.MIN_VALUE / 2);
    }

    private static MappedByteBuffer map(final Path file)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(0);
                raf.setLength(ERROR_LOG_BYTES);
                return raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, ERROR_LOG_BYTES);
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot create the error log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Hot path: records one event; never blocks or allocates. */
    public void record(final int kind, final int streamId, final long fromSeq, final long toSeq)
    {
        record.putInt(0, streamId);
        record.putLong(8, fromSeq);
        record.putLong(16, toSeq);
        if (!ring.write(kind, record, 0, RECORD_LENGTH))
        {
            dropped.lazySet(dropped.get() + 1);
        }
    }

    /** Moves recorded events into the error log and the human log; returns how many. Any thread but the hot one. */
    public synchronized int drain()
    {
        if (closed)
        {
            return 0;
        }
        final long now = System.nanoTime();
        final int read = ring.read((kind, buffer, offset, length) ->
        {
            final int streamId = buffer.getInt(offset);
            final long from = buffer.getLong(offset + 8);
            final long to = buffer.getLong(offset + 16);
            final String stream = StreamId.format(streamId);
            errors.record(new ReceiveEvent(kind == RESET ?
                "F-engine reset on stream " + stream + ": seq went back by more than reset_threshold_samples" :
                "stream " + stream + " jumped by more than max_seq_jump_samples"));
            if (now - lastLine[kind] >= logIntervalNanos)
            {
                final String more = notLogged[kind] > 0 ? " (" + notLogged[kind] + " more not logged)" : "";
                log.warn((kind == RESET ? "F-engine reset on stream " + stream + ": seq went from " + from +
                    " back to " + to : "stream " + stream + " jumped from " + from + " to " + to) +
                    ", confirmed; frames flagged" + more);
                lastLine[kind] = now;
                notLogged[kind] = 0;
            }
            else
            {
                notLogged[kind]++;
            }
        });
        recorded.addAndGet(read);
        return read;
    }

    /** Events the ring had no room for (the counters still hold them). */
    public long dropped()
    {
        return dropped.get();
    }

    /** Events moved into the logs so far. */
    public long drained()
    {
        return recorded.get();
    }

    /** The mapped error log, or null when it is kept in memory. */
    public Path file()
    {
        return file;
    }

    /** Reads the distinct errors in this log (for tests and {@code /status}). */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errors.buffer(), consumer);
    }

    /** Reads a distinct-error log file written by a (possibly other, possibly live) process. */
    public static int read(final Path file, final ErrorConsumer consumer)
    {
        final MappedByteBuffer buffer = IoUtil.mapExistingFile(file.toFile(), "receive error log");
        try
        {
            return ErrorLogReader.read(new UnsafeBuffer(buffer), consumer);
        }
        finally
        {
            IoUtil.unmap(buffer);
        }
    }

    @Override
    public synchronized void close()
    {
        drain();
        closed = true;
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
            try
            {
                // Like the counters file: readable while the process lives, gone when it ends cleanly.
                Files.deleteIfExists(file);
            }
            catch (final IOException e)
            {
                // The file is in a RAM directory that the next start's clean-up also covers.
            }
        }
    }

    /** An observation for the distinct-error log: no stack trace, so it is distinct by its message. */
    private static final class ReceiveEvent extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        ReceiveEvent(final String message)
        {
            super(message, null, false, false);
        }
    }
}
