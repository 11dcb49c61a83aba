package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One (event, frequency) file of a window that fits a quarter of staging, written while its chunks are still being
 * copied out of the ring, so that the disk starts on the first chunk instead of after the whole window: libhdf5
 * creates the file on the first chunk (the {@code baseband} dataset allocated, its offset fixed); a disk thread
 * writes the samples with O_DIRECT from staging at their offset as the chunks come; after the last sample, the same
 * disk thread has libhdf5 write {@code sample_present} (kept aside, a byte per time sample) and the root attributes
 * and close the file, fsyncs it, renames it into place and reports it (done: durable and in place); a finisher then
 * hashes it: the metadata read back with the samples still in staging, or the whole file read back if staging ran
 * short and the chunks were let go as they were written ({@link #spill}).
 *
 * <p>libhdf5 writes nothing while the file's samples are being written: on ext4 an O_DIRECT write that allocates
 * blocks holds the inode's lock until it completes, and libhdf5's many small writes queued behind the 4 MiB sample
 * writes made closing a file take up to 40 ms (baseband-dumps.sh, 2 cores) instead of 2.
 *
 * <p>Threads: the writer thread calls {@link #add}, {@link #spill}, {@link #lastChunk} and {@link #abandon}; one disk
 * thread at a time runs {@link #drain} (the file is queued for the disk whenever it has work and is not queued
 * already, so a disk thread never waits on a file whose next chunk has not come); a finisher runs {@link #hash}.
 * libhdf5 is called by one of them at a time (whoever holds the file). The state below is guarded by this object,
 * taken once per chunk.
 */
final class StreamedFile
{
    private final DumpWriter writer;
    private final FreqDump dump;
    private final BasebandFile file;
    private final long samplesOffset;
    /** {@code sample_present} of the window, filled as the chunks come (the chunks may be let go before the end). */
    private final MemorySegment present;
    private final List<StagedChunk> chunks = new ArrayList<>();
    /** Chunks whose samples are written. */
    private int written;
    /** Chunks released to staging, oldest first. */
    private int released;
    /** Queued for a disk thread, or in {@link #drain}. */
    private boolean scheduled;
    /** The last chunk has come: {@link #full} is known. */
    private boolean complete;
    /** Chunks are released as written, and the hash reads the file back. */
    private boolean spilled;
    /** Placed, failed or abandoned: nothing more is written, and {@link #ended} ran. */
    private boolean over;
    private boolean full;
    private long writeNanos;

    StreamedFile(final DumpWriter writer, final FreqDump dump, final BasebandFile file)
    {
        this.writer = writer;
        this.dump = dump;
        this.file = file;
        this.samplesOffset = file.samplesOffset();
        this.present = Arena.ofAuto().allocate(Math.max(1, dump.plan().planned().length()));
        dump.event().hashStarted();
        dump.phases.path("staged");
    }

    FreqDump dump()
    {
        return dump;
    }

    // ---- writer thread --------------------------------------------------------------------------------------------

    /** The next chunk of the window, for a disk thread to write; its {@code sample_present} rows are kept aside. */
    void add(final StagedChunk chunk)
    {
        MemorySegment.copy(chunk.present(), 0, present, chunk.firstSample() - dump.plan().planned().start(),
            chunk.rows());
        synchronized (this)
        {
            if (over)
            {
                writer.staging().free(chunk.slice());
                return;
            }
            chunks.add(chunk);
            schedule();
        }
    }

    /** The last chunk has come ({@code full}: nothing missing, clipped or reset); the disk thread then commits. */
    synchronized void lastChunk(final boolean whole)
    {
        full = whole;
        complete = true;
        schedule();
    }

    /** Staging runs short: chunks are released once written (now for those already written); the hash reads back. */
    synchronized void spill()
    {
        if (!spilled)
        {
            spilled = true;
            dump.phases.path("reread");
            releaseWritten();
        }
    }

    synchronized boolean isSpilled()
    {
        return spilled;
    }

    /**
     * The dump ended elsewhere (cancelled, exiting, an event's disk failure): unless a disk thread has the file (it
     * will see the status), it ends now; the {@code .partial} stays.
     */
    void abandon()
    {
        synchronized (this)
        {
            if (!scheduled && !over)
            {
                ended();
            }
        }
    }

    // ---- disk thread ----------------------------------------------------------------------------------------------

    /**
     * Writes the chunks that have come, in order (free space checked before each); once the last is written: the
     * metadata, fsync, rename, done, and the hash is queued. Returns when there is nothing to do yet.
     */
    void drain()
    {
        try
        {
            while (true)
            {
                final StagedChunk next;
                synchronized (this)
                {
                    if (over)
                    {
                        scheduled = false;
                        return;
                    }
                    if (written == chunks.size() && !complete)
                    {
                        scheduled = false;
                        return;
                    }
                    next = written < chunks.size() ? chunks.get(written) : null;
                }
                if (dump.status().isFinal())
                {
                    end();
                    return;
                }
                if (next == null)
                {
                    commit();
                    return;
                }
                if (written == 0)
                {
                    dump.phases.mark("write_began", dump.event().receivedNanos());
                }
                final long began = System.nanoTime();
                writer.checkSpace(dump, next.sampleBytes());
                file.writeSamples(next);
                writeNanos += System.nanoTime() - began;
                dump.wrote(next.sampleBytes());
                writer.readout().metrics().bytesWritten(next.sampleBytes());
                synchronized (this)
                {
                    written++;
                    if (spilled)
                    {
                        releaseWritten();
                    }
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            writer.fail(dump, e);
            end();
        }
    }

    private void commit() throws IOException
    {
        file.closeSamples();
        dump.phases.add(DumpPhases.Phase.WRITE, writeNanos);
        final long began = System.nanoTime();
        file.writePresent(present);
        file.closeMetadata(dump.event(), full, writer.readout().kDm(), writer.readout().samplePeriodNs());
        dump.phases.add(DumpPhases.Phase.CLOSE, System.nanoTime() - began);
        dump.phases.mark("metadata", dump.event().receivedNanos());
        BasebandFile.sync(dump);
        dump.phases.mark("written", dump.event().receivedNanos());
        if (dump.status().isFinal())
        {
            end();
            return;
        }
        dump.fileWritten(null, BasebandFile.place(dump));
        dump.phases.mark("placed", dump.event().receivedNanos());
        synchronized (this)
        {
            over = true;
            scheduled = false;
        }
        writer.diskEnded();
        writer.readout().end(dump, full ? DumpStatus.DONE : DumpStatus.PARTIAL, DumpWriter.why(dump, full));
        writer.queueHash(this);
    }

    /** Ends without placing the file (cancelled, exiting or failed): the {@code .partial} stays. */
    private void end()
    {
        synchronized (this)
        {
            scheduled = false;
            if (over)
            {
                return;
            }
            ended();
        }
    }

    // ---- finisher -------------------------------------------------------------------------------------------------

    /**
     * The placed file's SHA-256: its metadata read back with the samples from staging, or all of it read back if the
     * chunks were let go. Then the chunks are released and the event's manifest may go.
     */
    void hash()
    {
        try
        {
            final long began = System.nanoTime();
            dump.phases.mark("hash_began", dump.event().receivedNanos());
            String digest = null;
            if (!isSpilled())
            {
                final List<MemorySegment> samples = new ArrayList<>(chunks.size());
                for (final StagedChunk chunk : chunks)
                {
                    samples.add(chunk.samples());
                }
                try (FileChannel channel = FileChannel.open(dump.file(), StandardOpenOption.READ))
                {
                    digest = FileDigest.sha256(channel, samplesOffset, samples);
                }
                catch (final IOException | RuntimeException e)
                {
                    writer.log().warn("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                        ": hashing from staging failed (" + e.getMessage() + "); the file will be read back");
                }
            }
            if (digest == null)
            {
                digest = writer.readBack(dump);
            }
            else
            {
                dump.phases.add(DumpPhases.Phase.HASH, System.nanoTime() - began);
            }
            dump.phases.mark("hashed", dump.event().receivedNanos());
            dump.hashed(digest);
        }
        finally
        {
            synchronized (this)
            {
                releaseAll();
            }
            writer.hashEnded(dump.event());
        }
    }

    // ---- under the lock -------------------------------------------------------------------------------------------

    private void schedule()
    {
        if (!scheduled && !over)
        {
            scheduled = true;
            writer.queueForDisk(this);
        }
    }

    /** The file ends unplaced: its chunks go back, the file closes, and its hash will never come. */
    private void ended()
    {
        over = true;
        try
        {
            releaseAll();
            file.close();
        }
        finally
        {
            writer.diskEnded();
            writer.hashEnded(dump.event());
        }
    }

    private void releaseWritten()
    {
        for (; released < written; released++)
        {
            writer.staging().free(chunks.get(released).slice());
        }
    }

    private void releaseAll()
    {
        for (; released < chunks.size(); released++)
        {
            writer.staging().free(chunks.get(released).slice());
        }
    }
}
