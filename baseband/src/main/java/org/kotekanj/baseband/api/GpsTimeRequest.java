package org.kotekanj.baseband.api;

import org.kotekanj.rest.RestException;

/**
 * A validated {@code POST /gps_time} body: {@code {"frame0_nano": N}}, the unix time in ns of sample 0 as a
 * GPS-disciplined clock measured it. CHIME's {@code ch_master} pushes the same body to Kotekan's endpoint of that
 * name, so an existing time service works unchanged. Bounded so that no later arithmetic can overflow: after
 * 2000-01-01 and not in the future (sample 0 has been sent by the time anyone can time it).
 */
public record GpsTimeRequest(long frame0Nanos)
{
    /** 2000-01-01T00:00:00Z in unix ns: no F-engine counted from earlier. */
    public static final long EARLIEST_FRAME0_NANOS = 946_684_800_000_000_000L;
    /** Slack for the sender's and this node's clocks disagreeing. */
    static final long FUTURE_SLACK_NANOS = 60_000_000_000L;

    /** Parses and validates a body against the node's clock; throws a 400 {@link RestException} naming the field. */
    public static GpsTimeRequest parse(final byte[] body, final long nowUnixNanos)
    {
        final long frame0 = TriggerRequest.integer(TriggerRequest.object(body), "frame0_nano",
            EARLIEST_FRAME0_NANOS, nowUnixNanos + FUTURE_SLACK_NANOS, true);
        return new GpsTimeRequest(frame0);
    }
}
