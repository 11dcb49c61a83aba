package org.kotekanj.status;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * A memory-mapped counters file: created by a running pipeline, mapped read-only by {@code kotekan-j stat}. See
 * {@link CountersFileDescriptor} for the layout.
 */
public final class CountersFile implements AutoCloseable
{
    public static final int DEFAULT_VALUES_LENGTH = 8192 * CountersReader.COUNTER_LENGTH;
    private static final long START_SLACK_MS = 2_000;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metadata;
    private final UnsafeBuffer values;
    private final boolean owner;

    private CountersFile(final Path path, final MappedByteBuffer mapped, final boolean owner)
    {
        this.path = path;
        this.mapped = mapped;
        this.owner = owner;
        this.header = new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH);
        final int metadataLength = CountersFileDescriptor.metadataLength(header);
        final int valuesLength = CountersFileDescriptor.valuesLength(header);
        this.metadata = new UnsafeBuffer(mapped, CountersFileDescriptor.HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, CountersFileDescriptor.HEADER_LENGTH + metadataLength, valuesLength);
    }

    /** The default directory: {@code /dev/shm/kotekan-j} where it exists (RAM, no disk I/O), else the temp dir. */
    public static Path defaultDirectory()
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("kotekan-j");
    }

    /** Creates (or replaces) the counters file of this process. */
    public static CountersFile create(final Path directory, final String instance, final int valuesLength)
    {
        try
        {
            Files.createDirectories(directory);
            final Path path = directory.resolve(instance + CountersFileDescriptor.SUFFIX);
            Files.deleteIfExists(path);
            final int metadataLength = valuesLength * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
            final MappedByteBuffer mapped = IoUtil.mapNewFile(path.toFile(),
                CountersFileDescriptor.fileLength(metadataLength, valuesLength));
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH);
            CountersFileDescriptor.writeHeader(header, metadataLength, valuesLength, ProcessHandle.current().pid(),
                System.currentTimeMillis(), instance);
            return new CountersFile(path, mapped, true);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new IllegalStateException("cannot create counters file in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Maps an existing counters file for reading. */
    public static CountersFile open(final Path path)
    {
        final File file = path.toFile();
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "counters");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, Math.min(mapped.capacity(),
            CountersFileDescriptor.HEADER_LENGTH));
        if (!CountersFileDescriptor.isValid(header))
        {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(path + " is not a kotekan-j counters file");
        }
        return new CountersFile(path, mapped, false);
    }

    /** Counters files in a directory whose process is still alive. */
    public static List<Path> findLive(final Path directory)
    {
        final List<Path> live = new ArrayList<>();
        try
        {
            for (final Path file : countersFilesIn(directory))
            {
                try (CountersFile counters = open(file))
                {
                    if (counters.isAlive())
                    {
                        live.add(file);
                    }
                }
                catch (final RuntimeException e)
                {
                    // A half-written or foreign file: not a live instance.
                }
            }
        }
        catch (final IOException e)
        {
            // An unreadable directory holds no live instance we can see.
        }
        return live;
    }

    /** The files of {@code directory} named like counters files; none if it is not a directory. */
    private static List<Path> countersFilesIn(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(p -> p.toString().endsWith(CountersFileDescriptor.SUFFIX)).toList();
        }
    }

    public Path path()
    {
        return path;
    }

    public UnsafeBuffer metadataBuffer()
    {
        return metadata;
    }

    public UnsafeBuffer valuesBuffer()
    {
        return values;
    }

    public CountersReader reader()
    {
        return new CountersReader(metadata, values);
    }

    public long pid()
    {
        return CountersFileDescriptor.pid(header);
    }

    public long startMs()
    {
        return CountersFileDescriptor.startMs(header);
    }

    public long heartbeatMs()
    {
        return CountersFileDescriptor.heartbeatMs(header);
    }

    public String instance()
    {
        return CountersFileDescriptor.instance(header);
    }

    public void heartbeat()
    {
        CountersFileDescriptor.heartbeatMs(header, System.currentTimeMillis());
    }

    /**
     * The owning process still runs: its pid is alive and that process started before this file was written (a
     * younger process with the same pid got it reused after the owner died).
     */
    public boolean isAlive()
    {
        return ownerAlive(pid(), startMs());
    }

    static boolean ownerAlive(final long pid, final long fileStartMs)
    {
        final ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process == null || !process.isAlive())
        {
            return false;
        }
        // The start time the kernel reports is computed from the boot time: allow it some error.
        return process.info().startInstant().map(start -> start.toEpochMilli() <= fileStartMs + START_SLACK_MS)
            .orElse(true);
    }

    /**
     * Deletes the counters files in {@code directory} whose owner is gone (killed, crashed: a process that exits
     * normally deletes its own), as Aeron reclaims a dead driver's CnC file; returns what was deleted. Files that are
     * not counters files, or not yet completely written, are left alone.
     */
    public static List<Path> reclaimDead(final Path directory)
    {
        final List<Path> reclaimed = new ArrayList<>();
        try
        {
            for (final Path file : countersFilesIn(directory))
            {
                if (isDead(file))
                {
                    Files.deleteIfExists(file);
                    reclaimed.add(file);
                }
            }
        }
        catch (final IOException e)
        {
            // Another process reclaimed it first, or the directory is not ours to clean: nothing more to do.
        }
        return reclaimed;
    }

    private static boolean isDead(final Path file)
    {
        try (CountersFile counters = open(file))
        {
            return !counters.isAlive();
        }
        catch (final RuntimeException e)
        {
            return false;
        }
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
        if (owner)
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException e)
            {
                // Left behind: readers see a dead pid and ignore it.
            }
        }
    }
}
