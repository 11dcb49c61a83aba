package org.kotekanj.sim.packets;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.sim.SimConfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImpairmentsTest
{
    private static final PacketGeometry CHIME = PacketGeometry.chime();
    private static final StreamTable NODE = StreamTable.chimeNode(CHIME, 3, 1, 0);

    @Test
    void shouldReadEveryImpairmentWithItsParameters()
    {
        final ConfigErrors errors = new ConfigErrors();
        final Impairments impairments = Impairments.read(SimConfigs.stage("""
            impairments:
              loss: {rate: 0.5}
              truncated: {rate: 0.25, length: 10}
              unknown_stream: {rate: 1, stream_id: 0xF001}
            """, errors), CHIME, NODE);

        assertTrue(errors.isEmpty(), SimConfigs.describe(errors));
        assertEquals(0.5, impairments.lossRate());
        assertEquals(10, impairments.truncatedLength());
        assertEquals(0xF001, impairments.unknownStreamId());
        assertEquals(0, impairments.duplicateRate());
        assertEquals(3, impairments.enabled().size());
        assertEquals(CHIME.datagramBytes(), impairments.maxDatagramBytes(CHIME));
    }

    @Test
    void shouldNameEveryBadValue()
    {
        final ConfigErrors errors = new ConfigErrors();
        Impairments.read(SimConfigs.stage("""
            rate: max
            impairments:
              loss: {rate: 1.5}
              duplicate: {}
              reorder: {rate: 0.1, window: 33}
              truncated: {rate: 0.1, length: 4886}
              oversized: {rate: 0.1, extra_bytes: 70000}
              unknown_stream: {rate: 0.1, stream_id: 0x031}
              error_flags: {rate: 0.1, flags: 0x1}
              burst_loss: {rate: 0.1, min_packets: 5, max_packets: 2}
            """, errors), CHIME, NODE);

        final String all = SimConfigs.describe(errors);
        assertTrue(all.contains("0..1, found 1.5"), all);
        assertTrue(all.contains("/impairments/duplicate: missing 'rate'"), all);
        assertTrue(all.contains("window must be 1..32 packets, found 33"), all);
        assertTrue(all.contains("shorter than the 4886-byte datagram), found 4886"), all);
        assertTrue(all.contains("found 70000"), all);
        assertTrue(all.contains("stream_id 49 is stream 0.3.1"), all);
        assertTrue(all.contains("flags 0x1 has no bit of flag_reject_mask 0x70000700"), all);
        assertTrue(all.contains("min_packets <= max_packets, found 5..2"), all);
        assertEquals(8, errors.size(), all);
    }

    @Test
    void shouldRefuseErrorFlagsWithoutAFlagWord()
    {
        final ConfigErrors errors = new ConfigErrors();
        final PacketGeometry noFlags = new PacketGeometry("generic", 1, 1, 8, 0, false, 0x70000700, 2560, 800,
            -0.390625);
        Impairments.read(SimConfigs.stage("impairments: {error_flags: {rate: 0.1}}", errors), noFlags,
            StreamTable.singleBoard(noFlags, 0, 0, new int[] {0}));

        assertTrue(SimConfigs.describe(errors).contains("flag_word: false"), SimConfigs.describe(errors));
    }
}
