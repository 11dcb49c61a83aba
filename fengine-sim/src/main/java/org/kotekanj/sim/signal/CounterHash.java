package org.kotekanj.sim.signal;

/**
 * A counter-based random number generator: 64 random bits as a pure function of (seed, seq, freq_id, index), so
 * random signals stay pure functions of their coordinates and any byte can be regenerated on its own. It is
 * SplitMix64 (Steele, Lea and Flood, 2014) seeded per (seq, freq_id) run: one {@link #runKey} per packet run, then
 * one {@link #at} per draw.
 */
final class CounterHash
{
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final long FREQ_GAMMA = 0xD1B5_4A32_D192_ED03L;

    private CounterHash()
    {
    }

    /** The state of the draws of one (seq, freq_id) run of a seeded stream. */
    static long runKey(final long seed, final long seq, final int freqId)
    {
        return mix(mix(seed + GOLDEN_GAMMA * (seq + 1)) + FREQ_GAMMA * (freqId + 1L));
    }

    /** The {@code index}-th 64-bit draw of a run. */
    static long at(final long runKey, final long index)
    {
        return mix(runKey + GOLDEN_GAMMA * (index + 1));
    }

    /** SplitMix64's finaliser (Stafford's variant 13): a bijection with full avalanche. */
    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
