package org.kotekanj.stages.receive;

/**
 * Where datagrams come from: sockets (recvmmsg, NIO), a kernel ring (AF_PACKET) or recorded traffic (pcap, memory).
 * Batch-oriented and non-blocking: {@link #poll} returns at once with what is there.
 */
public interface PacketSource extends AutoCloseable
{
    /**
     * Receives up to {@code batch.capacity()} datagrams into {@code batch} (cleared first).
     *
     * @return the number received; 0 if none was waiting.
     */
    int poll(PacketBatch batch);

    /** Gives the datagrams of the last poll back (ring sources recycle their slots here). */
    default void release(final PacketBatch batch)
    {
    }

    /**
     * True for recorded sources (files, memory), which can wait: the receiver then reads them only as fast as
     * downstream frees frames, instead of dropping like a live source must.
     */
    default boolean isRecorded()
    {
        return false;
    }

    /** True for recorded sources that have delivered everything. */
    default boolean isExhausted()
    {
        return false;
    }

    /** Datagrams the kernel dropped before this source saw them, per link; -1 where the source cannot tell. */
    default long socketDrops(final int link)
    {
        return -1;
    }

    /** One line for logs and {@code /status}: kind, ports, buffer sizes. */
    String describe();

    @Override
    void close();
}
