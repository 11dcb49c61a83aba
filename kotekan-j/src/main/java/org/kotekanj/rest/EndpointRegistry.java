package org.kotekanj.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The REST routes of the process. Stages and {@code kotekan_update_endpoint} blocks add their own, tagged with an
 * owner so that a daemon can remove a stopped pipeline's endpoints. Paths may hold {@code {name}} segments, and the
 * last segment may be {@code {name...}}, which takes the rest of the path (static files: {@code /ui/{file...}}).
 */
public final class EndpointRegistry
{
    /** One route. */
    public record Endpoint(String method, String template, String owner, String description, RestHandler handler)
    {
        Map<String, String> match(final String path)
        {
            final String[] want = template.split("/");
            final String[] have = path.split("/");
            final boolean rest = want.length > 0 && want[want.length - 1].endsWith("...}");
            if (rest ? have.length < want.length : want.length != have.length)
            {
                return null;
            }
            final Map<String, String> params = new HashMap<>();
            if (rest)
            {
                final String last = want[want.length - 1];
                final String tail = String.join("/", java.util.Arrays.copyOfRange(have, want.length - 1, have.length));
                if (tail.isEmpty())
                {
                    return null;
                }
                params.put(last.substring(1, last.length() - 4), tail);
            }
            for (int i = 0; i < (rest ? want.length - 1 : want.length); i++)
            {
                if (want[i].startsWith("{") && want[i].endsWith("}"))
                {
                    if (have[i].isEmpty())
                    {
                        return null;
                    }
                    params.put(want[i].substring(1, want[i].length() - 1), have[i]);
                }
                else if (!want[i].equals(have[i]))
                {
                    return null;
                }
            }
            return params;
        }
    }

    /** A route found for a request, with its path parameters. */
    public record Match(Endpoint endpoint, Map<String, String> params)
    {
    }

    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    public void add(final String method, final String template, final String owner, final String description,
        final RestHandler handler)
    {
        final String upper = method.toUpperCase(Locale.ROOT);
        for (final Endpoint existing : endpoints)
        {
            if (existing.method().equals(upper) && existing.template().equals(template))
            {
                throw new IllegalArgumentException("endpoint " + upper + " " + template + " is already served by " +
                    existing.owner());
            }
        }
        endpoints.add(new Endpoint(upper, template, owner, description, handler));
    }

    public void removeOwner(final String owner)
    {
        endpoints.removeIf(e -> e.owner().equals(owner));
    }

    /** The route for a request, preferring literal paths over templates; {@code null} if none. */
    public Match find(final String method, final String path)
    {
        Match best = null;
        for (final Endpoint endpoint : endpoints)
        {
            if (endpoint.method().equals(method))
            {
                final Map<String, String> params = endpoint.match(path);
                if (params != null && (best == null || params.size() < best.params().size()))
                {
                    best = new Match(endpoint, params);
                }
            }
        }
        return best;
    }

    /** Methods some route serves at this path (for 405 answers). */
    public TreeSet<String> methodsFor(final String path)
    {
        final TreeSet<String> methods = new TreeSet<>();
        for (final Endpoint endpoint : endpoints)
        {
            if (endpoint.match(path) != null)
            {
                methods.add(endpoint.method());
            }
        }
        return methods;
    }

    public List<Endpoint> list()
    {
        final List<Endpoint> sorted = new ArrayList<>(endpoints);
        sorted.sort((a, b) -> a.template().equals(b.template()) ? a.method().compareTo(b.method()) :
            a.template().compareTo(b.template()));
        return sorted;
    }
}
