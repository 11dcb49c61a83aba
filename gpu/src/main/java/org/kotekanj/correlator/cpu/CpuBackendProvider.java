package org.kotekanj.correlator.cpu;

import org.kotekanj.config.StageConfig;
import org.kotekanj.correlator.CorrelatorBackendProvider;
import org.kotekanj.correlator.CorrelatorGeometry;

/**
 * {@code backend: cpu}: always available. Keys: {@code num_threads} (default 1; helper threads are pinned to the
 * stage's {@code cpu_affinity} list, one CPU each, the stage thread to the first) and
 * {@code kernel: auto | native | vector} (auto: the native AVX-512 VNNI / AVX2 helper where it loads, else the
 * Vector API kernel).
 */
public final class CpuBackendProvider implements CorrelatorBackendProvider
{
    /** Kernel choices of the {@code kernel} key. */
    public enum KernelChoice
    {
        AUTO, NATIVE, VECTOR
    }

    @Override
    public String name()
    {
        return "cpu";
    }

    @Override
    public String unavailableReason()
    {
        return null;
    }

    @Override
    public Configured configure(final StageConfig config, final CorrelatorGeometry geometry)
    {
        final int numThreads = config.getInt("num_threads", 1);
        if (numThreads < 1 || numThreads > 256)
        {
            config.error("num_threads", "must be 1..256, found " + numThreads);
        }
        final KernelChoice choice = config.getEnum("kernel", KernelChoice.class, KernelChoice.AUTO);
        if (choice == KernelChoice.NATIVE && NativeCorrelationKernel.load() == null)
        {
            config.error("kernel", "native: the native correlator helper is not available here (no gcc at build " +
                "time, or a CPU without AVX2); use auto or vector");
        }
        return cpus -> new CpuCorrelatorBackend(geometry, kernel(choice), numThreads, cpus);
    }

    /** The kernel a choice means on this machine. */
    public static CorrelationKernel kernel(final KernelChoice choice)
    {
        final NativeCorrelationKernel nativeKernel = choice == KernelChoice.VECTOR ? null : NativeCorrelationKernel.load();
        return nativeKernel != null ? nativeKernel : new VectorCorrelationKernel();
    }
}
