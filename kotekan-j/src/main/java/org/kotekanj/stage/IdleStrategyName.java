package org.kotekanj.stage;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The {@code idle_strategy:} choices: what a stage thread does when {@code doWork} found nothing. Poll-mode receive
 * stages spin (lowest latency, a whole core); everything else backs off (spin, yield, then park up to 1 ms).
 */
public enum IdleStrategyName
{
    BUSY_SPIN, NOOP, YIELD, BACKOFF, SLEEP;

    public IdleStrategy create()
    {
        return switch (this)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case NOOP -> new NoOpIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            case SLEEP -> new SleepingMillisIdleStrategy(1);
        };
    }

    /** How eager the strategy is; a shared thread takes the most eager strategy of its stages. */
    int eagerness()
    {
        return switch (this)
        {
            case BUSY_SPIN, NOOP -> 3;
            case YIELD -> 2;
            case BACKOFF -> 1;
            case SLEEP -> 0;
        };
    }
}
