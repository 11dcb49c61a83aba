package org.kotekanj.config;

/** Configs an attacker or a careless operator could write, shared by the loader, CLI and daemon tests. */
public final class HostileConfigs
{
    /**
     * "Billion laughs": nine nested lists of ten aliases each, about 500 bytes that expand to 10^9 values (issue 7,
     * defect 8: {@code check} ran 69 s into an OutOfMemoryError; POSTed to {@code /start} it killed the server).
     */
    public static final String LIST_ALIAS_BOMB = """
        a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
        h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
        i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
        """;

    /** The same with maps, which the loader expands into config nodes rather than lists. */
    public static final String MAP_ALIAS_BOMB = """
        a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}
        b: &b {k0: *a, k1: *a, k2: *a, k3: *a, k4: *a, k5: *a, k6: *a, k7: *a, k8: *a, k9: *a}
        c: &c {k0: *b, k1: *b, k2: *b, k3: *b, k4: *b, k5: *b, k6: *b, k7: *b, k8: *b, k9: *b}
        d: &d {k0: *c, k1: *c, k2: *c, k3: *c, k4: *c, k5: *c, k6: *c, k7: *c, k8: *c, k9: *c}
        e: &e {k0: *d, k1: *d, k2: *d, k3: *d, k4: *d, k5: *d, k6: *d, k7: *d, k8: *d, k9: *d}
        f: &f {k0: *e, k1: *e, k2: *e, k3: *e, k4: *e, k5: *e, k6: *e, k7: *e, k8: *e, k9: *e}
        g: &g {k0: *f, k1: *f, k2: *f, k3: *f, k4: *f, k5: *f, k6: *f, k7: *f, k8: *f, k9: *f}
        """;

    /** Merge keys that each merge the level below ten times: no values multiply, but naive merging is 10^8 steps. */
    public static final String MERGE_BOMB = """
        a: &a {x: 1, y: 2}
        b: &b {<<: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}
        c: &c {<<: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}
        d: &d {<<: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}
        e: &e {<<: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}
        f: &f {<<: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}
        g: &g {<<: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]}
        h: &h {<<: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]}
        i: &i {<<: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]}
        """;

    private HostileConfigs()
    {
    }
}
