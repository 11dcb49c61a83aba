package org.kotekanj.correlator.cuda;

import org.kotekanj.config.StageConfig;
import org.kotekanj.correlator.CorrelatorBackendProvider;
import org.kotekanj.correlator.CorrelatorGeometry;

/**
 * {@code backend: cuda}: the tensor-core correlator of {@link CudaCorrelatorBackend}. Names no JCuda type, so that
 * listing providers, {@code check} and the {@code auto} fallback work on machines without a CUDA driver; the driver
 * is touched only through {@link CudaDriverProbe}.
 */
public final class CudaBackendProvider implements CorrelatorBackendProvider
{
    @Override
    public String name()
    {
        return "cuda";
    }

    @Override
    public String unavailableReason()
    {
        try
        {
            return CudaDriverProbe.unavailableReason(0);
        }
        catch (final RuntimeException | LinkageError e)
        {
            return "the CUDA driver failed while probing (" + e.getMessage() + ")";
        }
    }

    @Override
    public Configured configure(final StageConfig config, final CorrelatorGeometry geometry)
    {
        final CudaSettings settings = CudaSettings.read(config);
        final String problem = KernelGeometry.problem(geometry);
        if (problem != null)
        {
            config.error(problem);
        }
        return cpus ->
        {
            final String unavailable = CudaDriverProbe.unavailableReason(settings.device());
            if (unavailable != null)
            {
                throw new IllegalStateException(unavailable);
            }
            return new CudaCorrelatorBackend(geometry, settings, new CommandTimings(settings.commands()));
        };
    }
}
