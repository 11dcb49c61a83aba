package org.kotekanj.baseband;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * <p><b>Streamed</b> ({@link StreamedFile}), the common case of a window that fits a quarter of staging: libhdf5
 * creates the file on its first chunk and a disk thread writes each chunk's samples with O_DIRECT from staging as it
 * comes, while the copier is still copying the rest, so the disk starts within milliseconds of the trigger; after the
 * last samples libhdf5 writes {@code sample_present} and the attributes; the file is then fsynced, renamed into place
 * and reported (done: durable and in place) without waiting for its hash, which only {@code event.json} needs. The
 * chunks stay in staging
 * until a finisher has hashed the metadata read back with the samples from memory, once no streamed file waits for
 * the disk, so the SHA-256 needs no read of the file and takes no CPU from the copies and writes of the files behind
 * it. When kept chunks outgrow half of staging, or the copier goes quiet, the oldest files let their chunks go as
 * they are written and are hashed by reading them back.
 *
 * <p><b>Re-read</b>, for a window that does not fit a quarter of staging: the writer thread creates the file on its
 * first chunk, writes each chunk as it comes and frees it, and the attributes after the last; a finisher fsyncs,
 * renames and hashes the file read back.
 *
 * <p>Free space is checked before every chunk: a disk that fills up stops that event (its files end as {@code error}
 * with the reason, the {@code .partial} files stay) while the ring and other events go on. Finishers also write each
 * event's {@code event.json} once all its frequencies have ended and every file's hash is known, so that it never
 * lacks the SHA-256 of a done file.
 */
final class DumpWriter implements Runnable
{
    /** Bytes kept free on the archive's file system beyond what a chunk needs. */
    static final long RESERVE_BYTES = 1 << 20;

    /** Threads that hash (and commit) files; the files of an event hash in parallel. */
    static final int FINISHERS = 4;

    /**
     * Threads writing streamed files' samples, a file each: several files in flight keep the disk busy while a thread
     * waits for the CPU after its write, and an event's later files need not wait for its first ones. dd of 4 MiB
     * O_DIRECT writes here, medians of 10: 1.44 GB/s for one stream, 1.59 for two, 1.47 for four.
     * baseband-dumps.sh (2 cores, 4 x 32 MB files per event), alternating runs, trigger to done over a dd right after
     * each dump: 2 threads 0.84 and 0.70, 4 threads 0.87 and 0.89.
     */
    static final int DISK_WRITERS = 4;

    /**
     * Longest a streamed file's hash waits for the disk writes queued before it to end. Hashes only feed
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

    private final BlockingQueue<StagedChunk> queue = new LinkedBlockingQueue<>();
    private final StagingArea staging;
    private final Readout readout;
    private final FreeSpace freeSpace;
    private final Log log;
    /** Files written the re-read way, open (writer thread). */
    private final Map<FreqDump, BasebandFile> open = new HashMap<>();
    /** Streamed files whose last chunk has not come yet, oldest first (writer thread). */
    private final Map<FreqDump, StreamedFile> streaming = new LinkedHashMap<>();
    private final Thread thread;
    private final Thread[] finishers = new Thread[FINISHERS];
    private final Thread[] diskWriters = new Thread[DISK_WRITERS];
    private final BlockingQueue<Object> finishing = new LinkedBlockingQueue<>();
    private final BlockingQueue<StreamedFile> disk = new LinkedBlockingQueue<>();
    /** Streamed files not yet placed or ended: their hashes wait until none is left. */
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
     * streamed file is done before it is hashed; the last hash to end queues it then).
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

    BlockingQueue<StagedChunk> queue()
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
                final StagedChunk chunk = queue.poll(20, TimeUnit.MILLISECONDS);
                if (chunk == null)
                {
                    closeEnded();
                    // The copier went quiet with files half kept (a window still arriving, or staging full).
                    for (final StreamedFile file : streaming.values())
                    {
                        file.spill();
                    }
                    if (stopping)
                    {
                        break;
                    }
                    continue;
                }
                take(chunk);
                if (staging.used() > staging.capacity() / 2)
                {
                    spillOldest();
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
            for (final StreamedFile file : streaming.values())
            {
                file.abandon();
            }
            streaming.clear();
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
        StreamedFile streamed = streaming.get(dump);
        if (streamed == null && !open.containsKey(dump) && streamable(chunk))
        {
            streamed = create(chunk);
            if (streamed == null)
            {
                return;
            }
        }
        if (streamed == null)
        {
            write(chunk);
            return;
        }
        streamed.add(chunk);
        if (chunk.last())
        {
            streaming.remove(dump);
            streamed.lastChunk(isFull(dump));
        }
    }

    /** True for the first chunk of a window small enough to keep whole in staging. */
    private boolean streamable(final StagedChunk chunk)
    {
        final long rows = chunk.dump().plan().planned().length();
        return chunk.firstSample() == chunk.dump().plan().planned().start() && rows <= Integer.MAX_VALUE &&
            StagedChunk.bytesFor((int)rows, chunk.inputs()) <= staging.capacity() / 4;
    }

    /**
     * The file of a streamed window, created on its first chunk (free space checked for all its samples); null after a
     * failure (the chunk released), or when libhdf5 must write the samples itself: then the chunk went the re-read way.
     */
    private StreamedFile create(final StagedChunk chunk)
    {
        final FreqDump dump = chunk.dump();
        BasebandFile file = null;
        try
        {
            checkSpace(dump, dump.plan().planned().length() * chunk.inputs());
            final long began = System.nanoTime();
            file = BasebandFile.create(dump, chunk.inputs());
            dump.phases.add(DumpPhases.Phase.CREATE, System.nanoTime() - began);
            if (file.samplesOffset() < 0)
            {
                // libhdf5 writes the samples itself (no contiguous storage): the re-read way.
                open.put(dump, file);
                write(chunk);
                return null;
            }
            diskBacklog.incrementAndGet();
            final StreamedFile streamed = new StreamedFile(this, dump, file);
            streaming.put(dump, streamed);
            return streamed;
        }
        catch (final IOException | RuntimeException e)
        {
            if (file != null)
            {
                file.close();
            }
            staging.free(chunk.slice());
            fail(dump, e);
            return null;
        }
    }

    /** The oldest streamed file still keeping its chunks lets them go as they are written. */
    private void spillOldest()
    {
        for (final StreamedFile file : streaming.values())
        {
            if (!file.isSpilled())
            {
                file.spill();
                return;
            }
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
        final StreamedFile streamed = streaming.remove(dump);
        if (streamed != null)
        {
            streamed.abandon();
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
        final Iterator<StreamedFile> streamed = streaming.values().iterator();
        while (streamed.hasNext())
        {
            final StreamedFile file = streamed.next();
            if (file.dump().status().isFinal())
            {
                file.abandon();
                streamed.remove();
            }
        }
    }

    // ---- any thread -----------------------------------------------------------------------------------------------

    void checkSpace(final FreqDump dump, final long bytes) throws IOException
    {
        final long usable = freeSpace.usableBytes(dump.file().getParent());
        if (usable < bytes + RESERVE_BYTES)
        {
            throw new IOException("disk full: " + usable + " bytes free where " + dump.file().getParent() +
                " needs " + bytes);
        }
    }

    static boolean isFull(final FreqDump dump)
    {
        return dump.missingSamples() == 0 && dump.plan().planned().equals(dump.plan().requested()) &&
            !dump.resetSeen();
    }

    static String why(final FreqDump dump, final boolean full)
    {
        return full ? null : dump.resetSeen() ? dump.resetReason() :
            dump.plan().planned().start() > dump.plan().requested().start() ? "late: clipped to the ring" :
            "overwritten or not received: " + dump.missingSamples() + " samples missing";
    }

    /** Stops the dump's event after a write failure: counted and logged once per event (its files fail together). */
    void fail(final FreqDump dump, final Exception e)
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

    StagingArea staging()
    {
        return staging;
    }

    Readout readout()
    {
        return readout;
    }

    Log log()
    {
        return log;
    }

    /** A streamed file has chunks to write or its commit to do (it is queued once at a time). */
    void queueForDisk(final StreamedFile file)
    {
        disk.add(file);
    }

    /** A streamed file is placed or ended: one less for the hashes to wait for. */
    void diskEnded()
    {
        diskBacklog.decrementAndGet();
    }

    /** A placed streamed file's hash, for a finisher. */
    void queueHash(final StreamedFile file)
    {
        finishing.add(file);
    }

    /** A streamed file's hash ended (or will never come): the event's manifest goes once none is left. */
    void hashEnded(final BasebandEvent event)
    {
        if (event.hashEnded() == 0 && event.isFinished())
        {
            queueManifest(event);
        }
    }

    /** The digest of a file in place, read back; null (logged, counted) if it cannot be read. */
    String readBack(final FreqDump dump)
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

    // ---- disk threads and finishers -------------------------------------------------------------------------------

    private void diskLoop()
    {
        try
        {
            while (true)
            {
                final StreamedFile file = disk.poll(20, TimeUnit.MILLISECONDS);
                if (file != null)
                {
                    file.drain();
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
                if (item instanceof StreamedFile streamed)
                {
                    awaitDisk();
                    streamed.hash();
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
     * Before a streamed file's hash: the test gate, then until no streamed file waits for the disk (at most
     * {@link #HASH_YIELD_NANOS}).
     */
    private void awaitDisk()
    {
        hashGate.await();
        final long yieldUntil = System.nanoTime() + HASH_YIELD_NANOS;
        while (diskBacklog.get() > 0 && System.nanoTime() < yieldUntil)
        {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** Test seam: what a streamed file's hash waits for before it begins (nothing, outside tests). */
    interface HashGate
    {
        HashGate OPEN = () -> { };

        void await();
    }

    private volatile HashGate hashGate = HashGate.OPEN;

    /** Test seam: streamed files' hashes wait on {@code gate} before they begin. */
    void hashGate(final HashGate gate)
    {
        hashGate = gate;
    }
}
