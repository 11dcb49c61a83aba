package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.log.Log;

/**
 * Drains staging to disk, one (event, frequency) file at a time, in one of two ways.
 *
 * <p><b>Staged</b>, the common case of a window in the past that fits a quarter of staging: the writer thread keeps
 * the file's chunks in staging until the last one is there; the file's status, lost samples and
 * {@code sample_present} are then known, so libhdf5 writes all the metadata and closes the file first. The samples
 * then go to their offset with O_DIRECT from staging (a disk thread); a finisher hashes the metadata read back with
 * the samples from memory once no staged file waits for the disk, so the SHA-256 needs no read of the file from disk
 * and takes no CPU from the copies and writes of the files behind it. Once the
 * samples are fsynced the file is renamed into place and reported (done: durable and in place) without waiting for
 * the hash, which only {@code event.json} needs; the chunks are released once both the write and the hash ended.
 *
 * <p><b>Re-read</b>, for a window whose chunks arrive over time (still in the future) or that does not fit: the
 * file is created on its first chunk, each chunk written as it comes and freed, the attributes written after the
 * last; a finisher fsyncs, renames and hashes the file read back. Kept chunks never hold more than half of staging
 * (past that, or when the copier goes quiet, the oldest kept file turns to this way), so the copier always finds room.
 *
 * <p>Free space is checked before every chunk: a disk that fills up stops that event (its files end as {@code error}
 * with the reason, the {@code .partial} files stay) while the ring and other events go on. Finishers also write each
 * event's {@code event.json} once all its frequencies have ended and every file's hash is known, so that it never
 * lacks the SHA-256 of a done file. libhdf5 is called from the writer thread only.
 */
final class DumpWriter implements Runnable
{
    /** Bytes kept free on the archive's file system beyond what a chunk needs. */
    static final long RESERVE_BYTES = 1 << 20;

    /** Threads that hash (and commit) files; the files of an event hash in parallel. */
    static final int FINISHERS = 4;

    /** Threads writing staged files' samples: two writes in flight keep the disk busy between a file's chunks. */
    static final int DISK_WRITERS = 2;

    /**
     * Longest a staged file's hash waits for the disk writes queued before it to end. Hashes only feed
     * {@code event.json}, so on a node short of cores they yield the CPU to the writes (and to the copies out of the
     * ring beside them). baseband-dumps.sh, 2 cores, 4 x 32 MB files per event, medians of 3 (client-timed, 5 ms
     * polls): hashing beside the writes, done at 0.80 GB/s (0.48x dd) and event.json at 0.56 GB/s; hashing after
     * them, 0.90 GB/s (0.57x) and 0.50 GB/s.
     */
    static final long HASH_YIELD_NANOS = 2_000_000_000L;

    /** A request to write an event's manifest. */
    record ManifestJob(BasebandEvent event)
    {
    }

    /** A closed file (re-read way) to fsync, rename, hash and report. */
    private record Commit(FreqDump dump, boolean full)
    {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StagingArea staging;
    private final Readout readout;
    private final FreeSpace freeSpace;
    private final Log log;
    /** Files written the re-read way, open (writer thread). */
    private final Map<FreqDump, BasebandFile> open = new HashMap<>();
    /** Chunks kept for a staged file until its last chunk comes, oldest file first (writer thread). */
    private final Map<FreqDump, List<StagedChunk>> held = new LinkedHashMap<>();
    private final Thread thread;
    private final Thread[] finishers = new Thread[FINISHERS];
    private final Thread[] diskWriters = new Thread[DISK_WRITERS];
    private final BlockingQueue<Object> finishing = new LinkedBlockingQueue<>();
    private final BlockingQueue<StagedFile> disk = new LinkedBlockingQueue<>();
    /** Staged files queued for or in their disk write: their hashes wait until none is left. */
    private final AtomicInteger diskBacklog = new AtomicInteger();
    private final Object failing = new Object();
    private volatile boolean finisherStopping;
    private volatile boolean diskStopping;
    private volatile boolean stopping;

    DumpWriter(final StagingArea staging, final Readout readout, final FreeSpace freeSpace, final Log log,
        final String name)
    {
        this.staging = staging;
        this.readout = readout;
        this.freeSpace = freeSpace;
        this.log = log;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        for (int i = 0; i < FINISHERS; i++)
        {
            finishers[i] = new Thread(this::finishLoop, name + "-finisher-" + i);
            finishers[i].setDaemon(true);
        }
        for (int i = 0; i < DISK_WRITERS; i++)
        {
            diskWriters[i] = new Thread(this::diskLoop, name + "-disk-" + i);
            diskWriters[i].setDaemon(true);
        }
    }

    void start()
    {
        thread.start();
        for (final Thread t : diskWriters)
        {
            t.start();
        }
        for (final Thread t : finishers)
        {
            t.start();
        }
    }

    /**
     * Queues an ended event's manifest once: after the commits of its files and once each file's hash is known (a
     * staged file may be done before it is hashed; the last hash to end queues it then).
     */
    void queueManifest(final BasebandEvent event)
    {
        if (!event.hashesPending() && event.claimManifest())
        {
            finishing.add(new ManifestJob(event));
        }
    }

    boolean isRunning()
    {
        return thread.isAlive() || java.util.Arrays.stream(finishers).anyMatch(Thread::isAlive) ||
            java.util.Arrays.stream(diskWriters).anyMatch(Thread::isAlive);
    }

    BlockingQueue<Object> queue()
    {
        return queue;
    }

    /** Asks the threads to finish what is queued (chunks of ended dumps are dropped) and waits for them. */
    void stop(final long timeoutMillis) throws InterruptedException
    {
        stopping = true;
        thread.join(timeoutMillis);
        diskStopping = true;
        for (final Thread t : diskWriters)
        {
            t.join(timeoutMillis);
        }
        finisherStopping = true;
        for (final Thread t : finishers)
        {
            t.join(timeoutMillis);
        }
    }

    // ---- writer thread --------------------------------------------------------------------------------------------

    @Override
    public void run()
    {
        try
        {
            while (true)
            {
                final Object item = queue.poll(20, TimeUnit.MILLISECONDS);
                if (item == null)
                {
                    closeEnded();
                    // The copier went quiet with files half kept (a window still arriving, or staging full).
                    while (!held.isEmpty())
                    {
                        flushOldest();
                    }
                    if (stopping)
                    {
                        break;
                    }
                    continue;
                }
                if (item instanceof StagedChunk chunk)
                {
                    take(chunk);
                    while (!held.isEmpty() && staging.used() > staging.capacity() / 2)
                    {
                        flushOldest();
                    }
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            for (final BasebandFile file : open.values())
            {
                file.close();
            }
            open.clear();
            for (final List<StagedChunk> chunks : held.values())
            {
                release(chunks);
            }
            held.clear();
        }
    }

    private void take(final StagedChunk chunk)
    {
        final FreqDump dump = chunk.dump();
        if (dump.status().isFinal())
        {
            abandon(dump);
            staging.free(chunk.slice());
            return;
        }
        final List<StagedChunk> kept = held.get(dump);
        if (kept != null)
        {
            kept.add(chunk);
            if (chunk.last())
            {
                held.remove(dump);
                stage(dump, kept);
            }
        }
        else if (!open.containsKey(dump) && stageable(chunk))
        {
            final List<StagedChunk> chunks = new ArrayList<>();
            chunks.add(chunk);
            if (chunk.last())
            {
                stage(dump, chunks);
            }
            else
            {
                held.put(dump, chunks);
            }
        }
        else
        {
            write(chunk);
        }
    }

    /** True for the first chunk of a window small enough to keep whole in staging. */
    private boolean stageable(final StagedChunk chunk)
    {
        final long rows = chunk.dump().plan().planned().length();
        return chunk.firstSample() == chunk.dump().plan().planned().start() && rows <= Integer.MAX_VALUE &&
            StagedChunk.bytesFor((int)rows, chunk.inputs()) <= staging.capacity() / 4;
    }

    /** The oldest kept file goes the re-read way: what it holds is written now and freed. */
    private void flushOldest()
    {
        final Iterator<List<StagedChunk>> it = held.values().iterator();
        final List<StagedChunk> chunks = it.next();
        it.remove();
        for (final StagedChunk chunk : chunks)
        {
            write(chunk);
        }
    }

    /** Every chunk of the window is in staging: metadata first, then samples and hash beside each other. */
    private void stage(final FreqDump dump, final List<StagedChunk> chunks)
    {
        BasebandFile file = null;
        try
        {
            long sampleBytes = 0;
            for (final StagedChunk chunk : chunks)
            {
                sampleBytes += chunk.sampleBytes();
            }
            checkSpace(dump, sampleBytes);
            final long began = System.nanoTime();
            file = BasebandFile.create(dump, chunks.get(0).inputs());
            if (file.samplesOffset() < 0)
            {
                // libhdf5 writes the samples itself (no contiguous storage): the re-read way.
                open.put(dump, file);
                dump.phases.add(DumpPhases.Phase.CREATE, System.nanoTime() - began);
                for (final StagedChunk chunk : chunks)
                {
                    write(chunk);
                }
                return;
            }
            for (final StagedChunk chunk : chunks)
            {
                file.writePresent(chunk);
            }
            final boolean full = isFull(dump);
            file.closeMetadata(dump.event(), full, readout.kDm(), readout.samplePeriodNs());
            dump.phases.add(DumpPhases.Phase.CREATE, System.nanoTime() - began);
            dump.phases.mark("metadata", dump.event().receivedNanos());
            dump.phases.path("staged");
            final StagedFile staged = new StagedFile(dump, file, chunks, full);
            diskBacklog.incrementAndGet();
            disk.add(staged);
            finishing.add(staged);
        }
        catch (final IOException | RuntimeException e)
        {
            if (file != null)
            {
                file.close();
            }
            release(chunks);
            fail(dump, e);
        }
    }

    /** The re-read way: the chunk into its file (created on the first chunk), then freed. */
    private void write(final StagedChunk chunk)
    {
        final FreqDump dump = chunk.dump();
        try
        {
            if (dump.status().isFinal())
            {
                abandon(dump);
                return;
            }
            checkSpace(dump, chunk.sampleBytes());
            BasebandFile file = open.get(dump);
            long began = System.nanoTime();
            if (file == null)
            {
                file = BasebandFile.create(dump, chunk.inputs());
                open.put(dump, file);
                final long now = System.nanoTime();
                dump.phases.add(DumpPhases.Phase.CREATE, now - began);
                began = now;
            }
            file.write(chunk);
            dump.phases.add(DumpPhases.Phase.WRITE, System.nanoTime() - began);
            dump.wrote(chunk.sampleBytes());
            readout.metrics().bytesWritten(chunk.sampleBytes());
            if (chunk.last())
            {
                finish(dump, file);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            abandon(dump);
            fail(dump, e);
        }
        finally
        {
            staging.free(chunk.slice());
        }
    }

    private void finish(final FreqDump dump, final BasebandFile file) throws IOException
    {
        final boolean full = isFull(dump);
        final long began = System.nanoTime();
        file.finish(dump.event(), full, readout.kDm(), readout.samplePeriodNs());
        dump.phases.add(DumpPhases.Phase.CLOSE, System.nanoTime() - began);
        open.remove(dump);
        finishing.add(new Commit(dump, full));
    }

    private void abandon(final FreqDump dump)
    {
        final BasebandFile file = open.remove(dump);
        if (file != null)
        {
            file.close();
        }
        final List<StagedChunk> chunks = held.remove(dump);
        if (chunks != null)
        {
            release(chunks);
        }
    }

    /** Closes the files of dumps ended elsewhere (cancelled, exiting) whose chunks will never come. */
    private void closeEnded()
    {
        final Iterator<Map.Entry<FreqDump, BasebandFile>> it = open.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<FreqDump, BasebandFile> entry = it.next();
            if (entry.getKey().status().isFinal())
            {
                entry.getValue().close();
                it.remove();
            }
        }
        final Iterator<Map.Entry<FreqDump, List<StagedChunk>>> kept = held.entrySet().iterator();
        while (kept.hasNext())
        {
            final Map.Entry<FreqDump, List<StagedChunk>> entry = kept.next();
            if (entry.getKey().status().isFinal())
            {
                release(entry.getValue());
                kept.remove();
            }
        }
    }

    // ---- any thread -----------------------------------------------------------------------------------------------

    private void checkSpace(final FreqDump dump, final long bytes) throws IOException
    {
        final long usable = freeSpace.usableBytes(dump.file().getParent());
        if (usable < bytes + RESERVE_BYTES)
        {
            throw new IOException("disk full: " + usable + " bytes free where " + dump.file().getParent() +
                " needs " + bytes);
        }
    }

    private static boolean isFull(final FreqDump dump)
    {
        return dump.missingSamples() == 0 && dump.plan().planned().equals(dump.plan().requested()) &&
            !dump.resetSeen();
    }

    private static String why(final FreqDump dump, final boolean full)
    {
        return full ? null : dump.resetSeen() ? dump.resetReason() :
            dump.plan().planned().start() > dump.plan().requested().start() ? "late: clipped to the ring" :
            "overwritten or not received: " + dump.missingSamples() + " samples missing";
    }

    /** Stops the dump's event after a write failure: counted and logged once per event (its files fail together). */
    private void fail(final FreqDump dump, final Exception e)
    {
        synchronized (failing)
        {
            if (dump.event().isCancelled())
            {
                return;
            }
            readout.metrics().diskError();
            log.error("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() + ": " +
                e.getMessage() + "; the event stops, ingest goes on");
            readout.failEvent(dump.event(), e.getMessage());
        }
    }

    private void release(final List<StagedChunk> chunks)
    {
        for (final StagedChunk chunk : chunks)
        {
            staging.free(chunk.slice());
        }
    }

    // ---- disk threads and finishers -------------------------------------------------------------------------------

    private void diskLoop()
    {
        try
        {
            while (true)
            {
                final StagedFile file = disk.poll(20, TimeUnit.MILLISECONDS);
                if (file != null)
                {
                    file.writeSamples();
                }
                else if (diskStopping)
                {
                    break;
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void finishLoop()
    {
        try
        {
            while (true)
            {
                final Object item = finishing.poll(20, TimeUnit.MILLISECONDS);
                if (item == null)
                {
                    if (finisherStopping)
                    {
                        break;
                    }
                    continue;
                }
                if (item instanceof StagedFile staged)
                {
                    staged.hash();
                }
                else if (item instanceof Commit commit)
                {
                    commit(commit.dump(), commit.full());
                }
                else if (item instanceof ManifestJob job)
                {
                    writeManifest(job.event());
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(final FreqDump dump, final boolean full)
    {
        try
        {
            final long size = BasebandFile.commit(dump);
            final long began = System.nanoTime();
            final String digest = FileDigest.sha256(dump.file());
            dump.phases.add(DumpPhases.Phase.HASH, System.nanoTime() - began);
            dump.fileWritten(digest, size);
            readout.end(dump, full ? DumpStatus.DONE : DumpStatus.PARTIAL, why(dump, full));
        }
        catch (final IOException | RuntimeException e)
        {
            fail(dump, e);
        }
    }

    private void writeManifest(final BasebandEvent event)
    {
        try
        {
            EventManifest.write(event);
            event.manifestWritten(java.time.Instant.now());
        }
        catch (final IOException e)
        {
            readout.metrics().diskError();
            log.error("baseband event " + event.eventId() + ": cannot write " + EventManifest.NAME + ": " +
                e.getMessage());
        }
    }

    /**
     * A staged file whose metadata is written and closed: a disk thread writes its samples, fsyncs and renames it into
     * place, and the file is then done (durable and in place), whether or not its hash is known yet; a finisher hashes
     * it meanwhile (the metadata read back through a channel opened before the rename, the samples from staging).
     * Whichever ends second releases its chunks, which the hash reads, and lets the event's manifest go.
     */
    private final class StagedFile
    {
        private final FreqDump dump;
        private final BasebandFile file;
        private final List<StagedChunk> chunks;
        private final boolean full;
        private final long samplesOffset;
        private final FileChannel metadata;
        private final AtomicInteger pending = new AtomicInteger(2);
        private volatile String digest;
        private volatile boolean placed;

        StagedFile(final FreqDump dump, final BasebandFile file, final List<StagedChunk> chunks, final boolean full)
            throws IOException
        {
            this.dump = dump;
            this.file = file;
            this.chunks = chunks;
            this.full = full;
            this.samplesOffset = file.samplesOffset();
            this.metadata = FileChannel.open(dump.partialFile(), StandardOpenOption.READ);
            dump.event().hashStarted();
        }

        /** Disk thread: every chunk's samples at its offset (free space checked before each), fsync, rename, done. */
        void writeSamples()
        {
            final long began = System.nanoTime();
            dump.phases.mark("write_began", dump.event().receivedNanos());
            try
            {
                for (final StagedChunk chunk : chunks)
                {
                    if (dump.status().isFinal())
                    {
                        return;
                    }
                    checkSpace(dump, chunk.sampleBytes());
                    file.writeSamples(chunk);
                    dump.wrote(chunk.sampleBytes());
                    readout.metrics().bytesWritten(chunk.sampleBytes());
                }
                file.closeSamples();
                dump.phases.add(DumpPhases.Phase.WRITE, System.nanoTime() - began);
                BasebandFile.sync(dump);
                dump.phases.mark("written", dump.event().receivedNanos());
                if (!dump.status().isFinal())
                {
                    dump.fileWritten(digest, BasebandFile.place(dump));
                    placed = true;
                    dump.phases.mark("placed", dump.event().receivedNanos());
                    readout.end(dump, full ? DumpStatus.DONE : DumpStatus.PARTIAL, why(dump, full));
                }
                // else: cancelled or exiting meanwhile; the .partial stays.
            }
            catch (final IOException | RuntimeException e)
            {
                fail(dump, e);
            }
            finally
            {
                file.close();
                diskBacklog.decrementAndGet();
                ended();
            }
        }

        /**
         * Finisher: the metadata read back with the samples from staging, in file order, once the disk writes queued so
         * far have ended (or after {@link #HASH_YIELD_NANOS}).
         */
        void hash()
        {
            try
            {
                if (dump.status().isFinal() && !placed)
                {
                    return;
                }
                hashGate.await();
                final long yieldUntil = System.nanoTime() + HASH_YIELD_NANOS;
                while (diskBacklog.get() > 0 && System.nanoTime() < yieldUntil)
                {
                    LockSupport.parkNanos(1_000_000L);
                }
                final long began = System.nanoTime();
                dump.phases.mark("hash_began", dump.event().receivedNanos());
                final List<MemorySegment> samples = new ArrayList<>(chunks.size());
                for (final StagedChunk chunk : chunks)
                {
                    samples.add(chunk.samples());
                }
                digest = FileDigest.sha256(metadata, samplesOffset, samples);
                dump.phases.add(DumpPhases.Phase.HASH, System.nanoTime() - began);
                dump.phases.mark("hashed", dump.event().receivedNanos());
            }
            catch (final IOException | RuntimeException e)
            {
                log.warn("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                    ": hashing from staging failed (" + e.getMessage() + "); the file will be read back");
            }
            finally
            {
                try
                {
                    metadata.close();
                }
                catch (final IOException e)
                {
                    // Read only: nothing to lose.
                }
                ended();
            }
        }

        private void ended()
        {
            if (pending.decrementAndGet() != 0)
            {
                return;
            }
            try
            {
                if (placed)
                {
                    dump.hashed(digest != null ? digest : readBack());
                }
            }
            finally
            {
                release(chunks);
                if (dump.event().hashEnded() == 0 && dump.event().isFinished())
                {
                    queueManifest(dump.event());
                }
            }
        }

        /** The digest of the file in place, read back, when hashing from staging did not give one. */
        private String readBack()
        {
            try
            {
                final long began = System.nanoTime();
                final String sha = FileDigest.sha256(dump.file());
                dump.phases.add(DumpPhases.Phase.HASH, System.nanoTime() - began);
                return sha;
            }
            catch (final IOException | RuntimeException e)
            {
                readout.metrics().diskError();
                log.error("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                    ": cannot hash " + dump.file() + ": " + e.getMessage() + "; event.json has no sha256 for it");
                return null;
            }
        }
    }

    /** Test seam: what a staged file's hash waits for before it begins (nothing, outside tests). */
    interface HashGate
    {
        HashGate OPEN = () -> { };

        void await();
    }

    private volatile HashGate hashGate = HashGate.OPEN;

    /** Test seam: staged files' hashes wait on {@code gate} before they begin. */
    void hashGate(final HashGate gate)
    {
        hashGate = gate;
    }
}
