package org.kotekanj.nativeio;

/** A libc call failed; carries the errno so callers can react to specific kernel answers (e.g. ENOMEM, EPERM). */
public final class NativeException extends RuntimeException
{
    private final int errno;

    public NativeException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    public int errno()
    {
        return errno;
    }
}
