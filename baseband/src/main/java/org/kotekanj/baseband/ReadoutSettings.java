package org.kotekanj.baseband;

import java.nio.file.Path;

import org.kotekanj.config.StageConfig;

/**
 * The baseband readout's keys, read once from its config block (names as in Kotekan's {@code basebandReadout} where
 * it has one).
 *
 * @param frame0Nanos unix ns of sample 0 from the config ({@code frame0_unix_nano}), or -1 to take it from the first
 *                    packets' arrival ({@code PACKET_RECV}).
 */
public record ReadoutSettings(Path archiveRoot, double maxDumpSeconds, double kDm, double refFreqMhz,
    int maxQueuedEvents, int maxEventsKept, long stagingBytes, long chunkBytes, long copyBudgetBytes,
    long frame0Nanos)
{
    public static ReadoutSettings read(final StageConfig config)
    {
        final ReadoutSettings s = new ReadoutSettings(
            Path.of(config.getString("archive_root", "baseband")),
            config.getDouble("max_dump_seconds", 10.0),
            config.getDouble("k_dm", 4.148808),
            config.getDouble("ref_freq_mhz", 400.0),
            config.getInt("max_queued_events", 16),
            config.getInt("max_events_kept", 256),
            config.getLong("staging_mib", 256) << 20,
            config.getLong("chunk_kib", 4096) << 10,
            config.getLong("copy_budget_mib", 64) << 20,
            config.getLong("frame0_unix_nano", -1));
        if (!(s.maxDumpSeconds > 0))
        {
            config.error("max_dump_seconds", "must be positive");
        }
        if (!(s.kDm > 0) || !(s.refFreqMhz > 0))
        {
            config.error("k_dm", "k_dm and ref_freq_mhz must be positive");
        }
        if (s.maxQueuedEvents < 1 || s.maxEventsKept < s.maxQueuedEvents)
        {
            config.error("max_queued_events", "needs 1 <= max_queued_events <= max_events_kept");
        }
        if (s.stagingBytes < s.chunkBytes || s.chunkBytes < 4096)
        {
            config.error("staging_mib", "staging must hold at least one chunk (chunk_kib >= 4)");
        }
        return s;
    }

    public ReadoutSettings withArchiveRoot(final Path root)
    {
        return new ReadoutSettings(root, maxDumpSeconds, kDm, refFreqMhz, maxQueuedEvents, maxEventsKept,
            stagingBytes, chunkBytes, copyBudgetBytes, frame0Nanos);
    }
}
