package org.kotekanj.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MmsgHeaderDescriptorTest
{
    @Test
    void shouldComputeCmsgSpaceAsGlibcDoes()
    {
        assertEquals(24, MmsgHeaderDescriptor.cmsgSpace(4));
        assertEquals(16, MmsgHeaderDescriptor.cmsgSpace(0));
        assertEquals(32, MmsgHeaderDescriptor.cmsgSpace(12));
    }

    @Test
    void shouldFindAControlMessageAfterAnother()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment control = arena.allocate(64, 8);
            MmsgHeaderDescriptor.cmsg(control, 0, 1, 29, 12);
            MmsgHeaderDescriptor.cmsg(control, 32, UdpSocket.SOL_SOCKET, UdpSocket.SO_RXQ_OVFL, 4);
            control.set(JAVA_INT, 48, 1234);

            final long data = MmsgHeaderDescriptor.findCmsg(control, 0, 56, UdpSocket.SOL_SOCKET,
                UdpSocket.SO_RXQ_OVFL);

            assertEquals(48, data);
            assertEquals(-1, MmsgHeaderDescriptor.findCmsg(control, 0, 56, 1, 99));
            assertEquals(-1, MmsgHeaderDescriptor.findCmsg(control, 0, 40, UdpSocket.SOL_SOCKET,
                UdpSocket.SO_RXQ_OVFL), "a message past the valid length is not read");
        }
    }

    @Test
    void shouldWriteSockaddrInInNetworkOrder()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment name = arena.allocate(16, 8);
            MmsgHeaderDescriptor.sockaddrIn(name, 0, 0x7F000001, 10000);

            assertEquals(2, MmsgHeaderDescriptor.sinFamily(name, 0));
            assertEquals(0x27, name.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
            assertEquals(0x10, name.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3));
            assertEquals(127, name.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
            assertEquals(10000, MmsgHeaderDescriptor.sinPort(name, 0));
            assertEquals(0x7F000001, MmsgHeaderDescriptor.sinAddr(name, 0));
        }
    }
}
