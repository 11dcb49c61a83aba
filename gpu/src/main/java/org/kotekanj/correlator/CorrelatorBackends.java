package org.kotekanj.correlator;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends on the classpath, by name ({@link CorrelatorBackendProvider}s found with {@link ServiceLoader}), and the
 * rule for {@code backend: auto}: cuda where its provider is present and says a driver and device are there, else cpu.
 */
public final class CorrelatorBackends
{
    public static final String AUTO = "auto";
    public static final String CPU = "cpu";
    public static final String CUDA = "cuda";

    private final List<CorrelatorBackendProvider> providers;

    public CorrelatorBackends(final List<CorrelatorBackendProvider> providers)
    {
        this.providers = List.copyOf(providers);
    }

    public static CorrelatorBackends discover()
    {
        final List<CorrelatorBackendProvider> found = new ArrayList<>();
        ServiceLoader.load(CorrelatorBackendProvider.class).forEach(found::add);
        return new CorrelatorBackends(found);
    }

    /** The provider of this name, or {@code null}. */
    public CorrelatorBackendProvider find(final String name)
    {
        for (final CorrelatorBackendProvider provider : providers)
        {
            if (provider.name().equals(name))
            {
                return provider;
            }
        }
        return null;
    }

    /** What {@code backend: auto} means here, and why (for the log and {@code /status}). */
    public Choice auto()
    {
        final CorrelatorBackendProvider cuda = find(CUDA);
        if (cuda == null)
        {
            return new Choice(find(CPU), "auto: cpu (this build has no cuda backend)");
        }
        final String reason = cuda.unavailableReason();
        return reason == null ? new Choice(cuda, "auto: cuda (a driver and a device are present)") :
            new Choice(find(CPU), "auto: cpu (" + reason + ")");
    }

    /** A resolved backend and the sentence that says why it was chosen. */
    public record Choice(CorrelatorBackendProvider provider, String reason)
    {
    }

    public List<String> names()
    {
        return providers.stream().map(CorrelatorBackendProvider::name).toList();
    }
}
