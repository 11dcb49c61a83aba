package org.kotekanj.status;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Layout of the counters file that {@code kotekan-j stat} and other tools map to read a live process without
 * touching it (Aeron's CnC pattern). The header identifies the process; the two regions that follow are an Agrona
 * {@code CountersManager}'s metadata and values buffers.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  Magic 'KJCF'                |  Version                       |  0
 *  |  Metadata length             |  Values length                 |  8
 *  |                        Process id                             | 16
 *  |                   Start time, epoch ms                        | 24
 *  |        Heartbeat, epoch ms (updated every second)             | 32
 *  |  Instance name length        |  Instance name (UTF-8) ...     | 40
 *  +---------------------------------------------------------------+
 *  |  Counters metadata (metadata length bytes)                   ... 128
 *  |  Counters values (values length bytes)                       ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CountersFileDescriptor
{
    public static final int MAGIC = 0x46434A4B;
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int METADATA_LENGTH_OFFSET = 8;
    public static final int VALUES_LENGTH_OFFSET = 12;
    public static final int PID_OFFSET = 16;
    public static final int START_MS_OFFSET = 24;
    public static final int HEARTBEAT_MS_OFFSET = 32;
    public static final int NAME_LENGTH_OFFSET = 40;
    public static final int NAME_OFFSET = 44;
    public static final int MAX_NAME_LENGTH = 84;
    public static final int HEADER_LENGTH = 128;
    public static final String SUFFIX = ".counters";

    private CountersFileDescriptor()
    {
    }

    public static long fileLength(final int metadataLength, final int valuesLength)
    {
        return (long)HEADER_LENGTH + metadataLength + valuesLength;
    }

    public static void writeHeader(final UnsafeBuffer header, final int metadataLength, final int valuesLength,
        final long pid, final long startMs, final String instance)
    {
        final byte[] name = instance.getBytes(StandardCharsets.UTF_8);
        final int nameLength = Math.min(name.length, MAX_NAME_LENGTH);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(PID_OFFSET, pid);
        header.putLong(START_MS_OFFSET, startMs);
        header.putLongVolatile(HEARTBEAT_MS_OFFSET, startMs);
        header.putInt(NAME_LENGTH_OFFSET, nameLength);
        header.putBytes(NAME_OFFSET, name, 0, nameLength);
        header.putIntVolatile(MAGIC_OFFSET, MAGIC);
    }

    public static boolean isValid(final UnsafeBuffer header)
    {
        return header.capacity() >= HEADER_LENGTH && header.getIntVolatile(MAGIC_OFFSET) == MAGIC &&
            header.getInt(VERSION_OFFSET) == VERSION;
    }

    public static int metadataLength(final UnsafeBuffer header)
    {
        return header.getInt(METADATA_LENGTH_OFFSET);
    }

    public static int valuesLength(final UnsafeBuffer header)
    {
        return header.getInt(VALUES_LENGTH_OFFSET);
    }

    public static long pid(final UnsafeBuffer header)
    {
        return header.getLong(PID_OFFSET);
    }

    public static long startMs(final UnsafeBuffer header)
    {
        return header.getLong(START_MS_OFFSET);
    }

    public static long heartbeatMs(final UnsafeBuffer header)
    {
        return header.getLongVolatile(HEARTBEAT_MS_OFFSET);
    }

    public static void heartbeatMs(final UnsafeBuffer header, final long nowMs)
    {
        header.putLongRelease(HEARTBEAT_MS_OFFSET, nowMs);
    }

    public static String instance(final UnsafeBuffer header)
    {
        final int length = Math.min(header.getInt(NAME_LENGTH_OFFSET), MAX_NAME_LENGTH);
        final byte[] name = new byte[Math.max(0, length)];
        header.getBytes(NAME_OFFSET, name);
        return new String(name, StandardCharsets.UTF_8);
    }
}
