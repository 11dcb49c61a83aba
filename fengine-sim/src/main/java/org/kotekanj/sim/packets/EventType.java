package org.kotekanj.sim.packets;

/**
 * What the simulator did to a stream, as the ground-truth log names it. Each event carries the stream, the time step
 * and the {@code seq} it concerns, and one number whose meaning depends on the type ({@link #valueKey()}, the JSON key
 * it is written under; {@code null} for events that need none).
 */
public enum EventType
{
    /** One packet not sent (random loss). */
    DROP("drop", null),
    /** {@code packets} consecutive packets of the stream not sent, from {@code step}. */
    BURST_LOSS("burst_loss", "packets"),
    /** The link was silent for {@code packets} steps from {@code step}. */
    OUTAGE("outage", "packets"),
    /**
     * The packet of {@code step} was held back and sent right after the packets of step {@code sent_after_step}
     * (equal to the run's step count: sent when the run ended).
     */
    REORDER("reorder", "sent_after_step"),
    /** The packet was sent twice in a row. */
    DUPLICATE("duplicate", null),
    /** The datagram was cut to {@code length} bytes. */
    TRUNCATED("truncated", "length"),
    /** The datagram was sent {@code length} bytes long (zeros after the footer). */
    OVERSIZED("oversized", "length"),
    /** The header carried {@code stream_id_sent} instead of the stream's id. */
    UNKNOWN_STREAM("unknown_stream", "stream_id_sent"),
    /** The flag word carried {@code flags}. */
    ERROR_FLAGS("error_flags", "flags"),
    /** From this step the stream's {@code seq} continues at {@code seq}, skipping forward from {@code from_seq}. */
    SEQ_JUMP("seq_jump", "from_seq"),
    /** From this step the stream's {@code seq} continues at {@code seq}, a small step back from {@code from_seq}. */
    SEQ_BACK("seq_back", "from_seq"),
    /** F-engine reset: from this step {@code seq} restarts at {@code seq} (from {@code from_seq}). */
    RESET("reset", "from_seq");

    private final String jsonName;
    private final String valueKey;

    EventType(final String jsonName, final String valueKey)
    {
        this.jsonName = jsonName;
        this.valueKey = valueKey;
    }

    public String jsonName()
    {
        return jsonName;
    }

    /** The JSON key of the event's value, or {@code null} if it has none. */
    public String valueKey()
    {
        return valueKey;
    }
}
