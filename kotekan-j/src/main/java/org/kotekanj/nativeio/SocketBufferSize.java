package org.kotekanj.nativeio;

/**
 * What the kernel granted for a socket buffer request. Linux doubles the value it stores (room for its own
 * bookkeeping) and, unless the {@code *BUFFORCE} option was allowed (CAP_NET_ADMIN), caps the request at
 * {@code net.core.wmem_max}/{@code rmem_max}: a receiver that asked for 256 MiB and got 8 MiB drops at a far lower
 * burst, so the grant is reported, not assumed.
 *
 * @param requested bytes asked for.
 * @param granted   bytes the kernel reports ({@code getsockopt}), i.e. twice what it accepted.
 * @param forced    true if {@code SO_SNDBUFFORCE}/{@code SO_RCVBUFFORCE} was permitted (no sysctl cap applied).
 */
public record SocketBufferSize(int requested, int granted, boolean forced)
{
    /** True if the kernel accepted less than was asked for. */
    public boolean capped()
    {
        return granted < 2L * Math.min(requested, Integer.MAX_VALUE / 2);
    }

    @Override
    public String toString()
    {
        return "requested " + requested + " B, kernel granted " + granted + " B" + (forced ? " (forced)" : "") +
            (capped() ? " (capped by net.core.wmem_max/rmem_max; raise it or run with CAP_NET_ADMIN)" : "");
    }
}
