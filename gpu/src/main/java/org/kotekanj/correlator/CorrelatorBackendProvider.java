package org.kotekanj.correlator;

import org.kotekanj.config.StageConfig;

/**
 * Makes one kind of {@link CorrelatorBackend}, found by name with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/org.kotekanj.correlator.CorrelatorBackendProvider}), so adding a backend is one provider
 * class and one line there; the {@code Correlator} stage knows none by class.
 *
 * <p>Two steps, because {@code check} builds stages without running them: {@link #configure} runs in the stage's
 * constructor (reads the backend's own config keys, records errors, allocates nothing), and the returned
 * {@link Configured#create} runs on the stage's thread at start, where devices are opened and memory pinned.
 */
public interface CorrelatorBackendProvider
{
    /** The {@code backend:} value that selects this provider ({@code cpu}, {@code cuda}). */
    String name();

    /**
     * Whether this backend can run on this machine (a driver and a device for a GPU). Cheap and side-effect free; never
     * throws (a GPU provider probes the driver in a way that fails soft).
     *
     * @return {@code null} if it can, else one sentence saying why not.
     */
    String unavailableReason();

    /** Reads this backend's keys of the stage's config, recording errors there. */
    Configured configure(StageConfig config, CorrelatorGeometry geometry);

    /** A configured backend, not yet started. */
    @FunctionalInterface
    interface Configured
    {
        /**
         * Builds the backend on the stage's thread.
         *
         * @param cpus the stage's pinned CPUs ({@code cpu_affinity}; empty when not pinned), for worker threads.
         */
        CorrelatorBackend create(int[] cpus) throws Exception;
    }
}
