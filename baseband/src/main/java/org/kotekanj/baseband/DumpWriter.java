package org.kotekanj.baseband;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.log.Log;

/**
 * The thread that drains staging to disk: for each staged chunk, the rows go into their (event, frequency) file
 * (opened on its first chunk), and the file is finished after its last chunk; finisher threads then fsync, hash and
 * rename it. Free space is checked before every chunk: a disk that fills up stops that event (its files end as
 * {@code error} with the reason, the {@code .partial} files stay) while the ring and other events go on. Also writes
 * each event's {@code event.json} once all its frequencies have ended.
 *
 * <p>The samples go to disk with O_DIRECT, so reading them back for the SHA-256 would read them from the disk, while
 * later files are written to it. So a file whose window fits a quarter of staging keeps its chunks there until its
 * commit: the digest is then its metadata read back (from the page cache) with the samples hashed from memory. Kept
 * chunks never hold more than half of staging: past that the oldest open file lets its chunks go and is hashed by
 * reading it back (so does a file whose chunks arrive over a long time, such as a window still in the future, once
 * the staging behind it fills), and the copier always finds room.
 */
final class DumpWriter implements Runnable
{
    /** Bytes kept free on the archive's file system beyond what a chunk needs. */
    static final long RESERVE_BYTES = 1 << 20;

    /** A request to write an event's manifest. */
    record ManifestJob(BasebandEvent event)
    {
    }

    /**
     * A closed file to fsync, rename, hash and report; {@code kept} are its chunks still in staging, in file order,
     * when the samples are hashed from memory (from {@code samplesOffset} on), else empty.
     */
    private record Commit(FreqDump dump, boolean full, long samplesOffset, List<StagedChunk> kept)
    {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StagingArea staging;
    private final Readout readout;
    private final FreeSpace freeSpace;
    private final Log log;
    private final Map<FreqDump, BasebandFile> open = new HashMap<>();
    /** The chunks kept in staging for the in-memory hash, per open file, oldest file first (writer thread). */
    private final Map<FreqDump, List<StagedChunk>> kept = new LinkedHashMap<>();
    private final Thread thread;
    /**
     * Threads that commit closed files: with the samples written by O_DIRECT, the SHA-256 re-read of each file is the
     * longest step, and the files of an event hash in parallel.
     */
    static final int FINISHERS = 4;

    private final Thread[] finishers = new Thread[FINISHERS];
    private final BlockingQueue<Object> finishing = new LinkedBlockingQueue<>();
    private volatile boolean finisherStopping;
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
        // Fsync, rename and SHA-256 of one file overlap the HDF5 writes of the next.
        for (int i = 0; i < FINISHERS; i++)
        {
            finishers[i] = new Thread(this::finishLoop, name + "-finisher-" + i);
            finishers[i].setDaemon(true);
        }
    }

    void start()
    {
        thread.start();
        for (final Thread finisher : finishers)
        {
            finisher.start();
        }
    }

    /** Where manifests are queued: after the commits of the event's files. */
    void queueManifest(final BasebandEvent event)
    {
        finishing.add(new ManifestJob(event));
    }

    boolean isRunning()
    {
        return thread.isAlive() || java.util.Arrays.stream(finishers).anyMatch(Thread::isAlive);
    }

    BlockingQueue<Object> queue()
    {
        return queue;
    }

    /** Asks the thread to finish what is queued (chunks of ended dumps are dropped) and waits for it. */
    void stop(final long timeoutMillis) throws InterruptedException
    {
        stopping = true;
        thread.join(timeoutMillis);
        finisherStopping = true;
        for (final Thread finisher : finishers)
        {
            finisher.join(timeoutMillis);
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
                if (item instanceof Commit commit)
                {
                    try
                    {
                        commit(commit);
                    }
                    finally
                    {
                        release(commit.kept());
                    }
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

    private void commit(final Commit commit)
    {
        final FreqDump dump = commit.dump();
        final boolean full = commit.full();
        try
        {
            final long size = BasebandFile.commit(dump);
            final long began = System.nanoTime();
            final String digest;
            if (commit.kept().isEmpty())
            {
                digest = FileDigest.sha256(dump.file());
            }
            else
            {
                final List<MemorySegment> samples = new ArrayList<>(commit.kept().size());
                for (final StagedChunk chunk : commit.kept())
                {
                    samples.add(chunk.samples());
                }
                digest = FileDigest.sha256(dump.file(), commit.samplesOffset(), samples);
            }
            dump.phases.add(DumpPhases.Phase.HASH, System.nanoTime() - began);
            dump.fileWritten(digest, size);
            final String why = full ? null : dump.resetSeen() ? "fengine_reset inside the window" :
                dump.plan().planned().start() > dump.plan().requested().start() ? "late: clipped to the ring" :
                "overwritten or not received: " + dump.missingSamples() + " samples missing";
            readout.end(dump, full ? DumpStatus.DONE : DumpStatus.PARTIAL, why);
        }
        catch (final IOException | RuntimeException e)
        {
            readout.metrics().diskError();
            log.error("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                ": " + e.getMessage() + "; the event stops, ingest goes on");
            readout.failEvent(dump.event(), e.getMessage());
        }
    }

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
                    limitKept();
                    if (stopping)
                    {
                        break;
                    }
                    continue;
                }
                if (item instanceof StagedChunk chunk)
                {
                    boolean keep = false;
                    try
                    {
                        keep = write(chunk);
                    }
                    finally
                    {
                        if (!keep)
                        {
                            staging.free(chunk.slice());
                        }
                    }
                    limitKept();
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
            for (final List<StagedChunk> chunks : kept.values())
            {
                release(chunks);
            }
            kept.clear();
        }
    }

    /** Writes a chunk into its file; true if the chunk stays in staging for the file's hash (else free it). */
    private boolean write(final StagedChunk chunk)
    {
        final FreqDump dump = chunk.dump();
        if (dump.status().isFinal())
        {
            abandon(dump);
            return false;
        }
        try
        {
            final long usable = freeSpace.usableBytes(dump.file().getParent());
            if (usable < chunk.sampleBytes() + RESERVE_BYTES)
            {
                throw new IOException("disk full: " + usable + " bytes free where " + dump.file().getParent() +
                    " needs " + chunk.sampleBytes());
            }
            BasebandFile file = open.get(dump);
            long began = System.nanoTime();
            if (file == null)
            {
                file = BasebandFile.create(dump, chunk.inputs());
                open.put(dump, file);
                if (file.samplesOffset() >= 0 && chunk.firstSample() == dump.plan().planned().start() &&
                    StagedChunk.bytesFor(Math.toIntExact(Math.min(Integer.MAX_VALUE, dump.plan().planned().length())),
                        chunk.inputs()) <= staging.capacity() / 4)
                {
                    kept.put(dump, new ArrayList<>());
                }
                final long now = System.nanoTime();
                dump.phases.add(DumpPhases.Phase.CREATE, now - began);
                began = now;
            }
            file.write(chunk);
            dump.phases.add(DumpPhases.Phase.WRITE, System.nanoTime() - began);
            dump.wrote(chunk.sampleBytes());
            readout.metrics().bytesWritten(chunk.sampleBytes());
            final List<StagedChunk> keptChunks = kept.get(dump);
            final boolean keep = keptChunks != null;
            if (keep)
            {
                keptChunks.add(chunk);
            }
            if (chunk.last())
            {
                finish(dump, file);
            }
            return keep;
        }
        catch (final IOException | RuntimeException e)
        {
            readout.metrics().diskError();
            log.error("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                ": " + e.getMessage() + "; the event stops, ingest goes on");
            abandon(dump);
            readout.failEvent(dump.event(), e.getMessage());
            // A chunk already kept was released with its file; one that failed before is freed by the caller.
            return false;
        }
    }

    private void finish(final FreqDump dump, final BasebandFile file) throws IOException
    {
        final boolean full = dump.missingSamples() == 0 && dump.plan().planned().equals(dump.plan().requested()) &&
            !dump.resetSeen();
        final long began = System.nanoTime();
        final long samplesOffset = file.samplesOffset();
        file.finish(dump.event(), full, readout.kDm(), readout.samplePeriodNs());
        dump.phases.add(DumpPhases.Phase.CLOSE, System.nanoTime() - began);
        open.remove(dump);
        final List<StagedChunk> chunks = kept.remove(dump);
        final boolean fromMemory = chunks != null && covers(dump, chunks);
        if (chunks != null && !fromMemory)
        {
            release(chunks);
        }
        dump.phases.path(fromMemory ? "staged" : "reread");
        finishing.add(new Commit(dump, full, samplesOffset, fromMemory ? chunks : List.of()));
    }

    /** True if {@code chunks} are the dump's whole window, in order. */
    private static boolean covers(final FreqDump dump, final List<StagedChunk> chunks)
    {
        long next = dump.plan().planned().start();
        for (final StagedChunk chunk : chunks)
        {
            if (chunk.firstSample() != next)
            {
                return false;
            }
            next += chunk.rows();
        }
        return next == dump.plan().planned().end();
    }

    /**
     * Keeps chunks held for in-memory hashes from taking more than half of staging: the oldest open files let theirs
     * go (and are hashed by reading them back).
     */
    private void limitKept()
    {
        final Iterator<List<StagedChunk>> it = kept.values().iterator();
        while (staging.used() > staging.capacity() / 2 && it.hasNext())
        {
            release(it.next());
            it.remove();
        }
    }

    private void release(final List<StagedChunk> chunks)
    {
        for (final StagedChunk chunk : chunks)
        {
            staging.free(chunk.slice());
        }
    }

    private void abandon(final FreqDump dump)
    {
        final BasebandFile file = open.remove(dump);
        if (file != null)
        {
            file.close();
        }
        final List<StagedChunk> chunks = kept.remove(dump);
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
                final List<StagedChunk> chunks = kept.remove(entry.getKey());
                if (chunks != null)
                {
                    release(chunks);
                }
            }
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
}
