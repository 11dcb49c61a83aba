package org.kotekanj.sim.packets;

/** One datagram as a receiver would see it, decoded from a batch slot or a pcap record in tests. */
public record SentDatagram(int streamIndex, int wireStreamId, long seq, int length, int flags)
{
}
