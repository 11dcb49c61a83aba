package org.kotekanj.baseband;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.kotekanj.baseband.ring.StagingArea;
import org.kotekanj.log.Log;

/**
 * The thread that drains staging to disk: for each staged chunk, the rows go into their (event, frequency) file
 * (opened on its first chunk), the staging space is freed, and the file is finished after its last chunk. Free space
 * is checked before every chunk: a disk that fills up stops that event (its files end as {@code error} with the
 * reason, the {@code .partial} files stay) while the ring and other events go on. Also writes each event's
 * {@code event.json} once all its frequencies have ended.
 */
final class DumpWriter implements Runnable
{
    /** Bytes kept free on the archive's file system beyond what a chunk needs. */
    static final long RESERVE_BYTES = 1 << 20;

    /** A request to write an event's manifest. */
    record ManifestJob(BasebandEvent event)
    {
    }

    /** A closed file to fsync, rename, hash and report. */
    private record Commit(FreqDump dump, boolean full)
    {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StagingArea staging;
    private final Readout readout;
    private final FreeSpace freeSpace;
    private final Log log;
    private final Map<FreqDump, BasebandFile> open = new HashMap<>();
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
            dump.fileWritten(FileDigest.sha256(dump.file()), size);
            final String why = full ? null : dump.resetSeen() ? dump.resetReason() :
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
                    if (stopping)
                    {
                        break;
                    }
                    continue;
                }
                if (item instanceof StagedChunk chunk)
                {
                    try
                    {
                        write(chunk);
                    }
                    finally
                    {
                        staging.free(chunk.slice());
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
        }
    }

    private void write(final StagedChunk chunk)
    {
        final FreqDump dump = chunk.dump();
        if (dump.status().isFinal())
        {
            abandon(dump);
            return;
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
            if (file == null)
            {
                file = BasebandFile.create(dump, chunk.inputs());
                open.put(dump, file);
            }
            file.write(chunk);
            dump.wrote(chunk.sampleBytes());
            readout.metrics().bytesWritten(chunk.sampleBytes());
            if (chunk.last())
            {
                finish(dump, file);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            readout.metrics().diskError();
            log.error("baseband event " + dump.event().eventId() + " freq_id " + dump.plan().freqId() +
                ": " + e.getMessage() + "; the event stops, ingest goes on");
            abandon(dump);
            readout.failEvent(dump.event(), e.getMessage());
        }
    }

    private void finish(final FreqDump dump, final BasebandFile file) throws IOException
    {
        final boolean full = dump.missingSamples() == 0 && dump.plan().planned().equals(dump.plan().requested()) &&
            !dump.resetSeen();
        file.finish(dump.event(), full, readout.kDm(), readout.samplePeriodNs());
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
