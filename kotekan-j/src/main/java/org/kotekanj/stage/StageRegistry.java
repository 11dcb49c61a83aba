package org.kotekanj.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every stage type on the classpath, by config name. */
public final class StageRegistry
{
    private final TreeMap<String, StageType> types = new TreeMap<>();

    public static StageRegistry discover()
    {
        final StageRegistry registry = new StageRegistry();
        for (final StageLibrary library : ServiceLoader.load(StageLibrary.class))
        {
            for (final StageType type : library.stages())
            {
                registry.add(type);
            }
        }
        return registry;
    }

    public StageRegistry add(final StageType type)
    {
        final StageType previous = types.putIfAbsent(type.name(), type);
        if (previous != null && previous != type)
        {
            throw new IllegalStateException("two stage types are named " + type.name());
        }
        return this;
    }

    public StageType find(final String name)
    {
        return types.get(name);
    }

    public List<StageType> all()
    {
        return new ArrayList<>(types.values());
    }

    /** The known name closest to a misspelt one (edit distance, case-insensitive), or {@code null}. */
    public String closest(final String name)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : types.keySet())
        {
            final int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(3, name.length() / 3) ? best : null;
    }

    static int distance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }
}
