package org.kotekanj.nativeio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The BSD socket calls shared by the FFM socket paths (UDP sockets, AF_PACKET rings), bound once, each capturing
 * errno (pass a segment from {@link Libc#newErrnoCapture} first, or call them inside {@link Libc#checked}).
 */
public final class SocketCalls
{
    public static final MethodHandle SOCKET = Libc.downcall("socket",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Libc.captureErrno());
    public static final MethodHandle BIND = Libc.downcall("bind",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.captureErrno());
    public static final MethodHandle CONNECT = Libc.downcall("connect",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.captureErrno());
    public static final MethodHandle GETSOCKNAME = Libc.downcall("getsockname",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Libc.captureErrno());
    public static final MethodHandle SETSOCKOPT = Libc.downcall("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.captureErrno());
    public static final MethodHandle GETSOCKOPT = Libc.downcall("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Libc.captureErrno());
    public static final MethodHandle CLOSE = Libc.downcall("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT), Libc.captureErrno());

    private SocketCalls()
    {
    }
}
