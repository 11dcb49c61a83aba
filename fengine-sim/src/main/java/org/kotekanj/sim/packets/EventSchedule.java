package org.kotekanj.sim.packets;

import java.util.SplittableRandom;

/**
 * The steps at which one kind of random event happens to one stream: a Bernoulli process with probability
 * {@code rate} per step, drawn as geometric gaps from its own seeded generator. The set of steps depends only on the
 * seed, never on other events, so each impairment is reproducible on its own and a step costs one comparison.
 */
final class EventSchedule
{
    private final SplittableRandom random;
    private final double logOneMinusRate;
    private final boolean always;
    private long next;

    EventSchedule(final double rate, final long seed)
    {
        this.random = new SplittableRandom(seed);
        this.always = rate >= 1.0;
        this.logOneMinusRate = Math.log1p(-Math.min(rate, 1.0));
        this.next = rate <= 0 ? Long.MAX_VALUE : gap(-1);
    }

    /** A seed for one (run seed, stream, event kind), spread so that neighbouring streams do not correlate. */
    static long seed(final long runSeed, final int streamIndex, final int kind)
    {
        long z = runSeed + 0x9E3779B97F4A7C15L * (streamIndex + 1) + 0xBF58476D1CE4E5B9L * (kind + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next step at which the event happens ({@link Long#MAX_VALUE}: never). */
    long next()
    {
        return next;
    }

    /** True if the event happens at {@code step}; steps must be asked in increasing order. */
    boolean fires(final long step)
    {
        while (next < step)
        {
            next = gap(next);
        }
        if (next == step)
        {
            next = gap(step);
            return true;
        }
        return false;
    }

    /** A uniform integer in {@code [min, max]} from this schedule's generator (the event's magnitude). */
    long uniform(final long min, final long max)
    {
        return min >= max ? min : min + random.nextLong(max - min + 1);
    }

    private long gap(final long from)
    {
        if (always)
        {
            return from + 1;
        }
        final double u = 1.0 - random.nextDouble();
        final double skip = Math.floor(Math.log(u) / logOneMinusRate);
        return skip >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : from + 1 + (long)skip;
    }
}
