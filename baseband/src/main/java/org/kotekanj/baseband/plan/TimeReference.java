package org.kotekanj.baseband.plan;

/**
 * What ties sample counters to unix time: {@code frame0} is the unix time of sample 0, from a GPS-disciplined time
 * service ({@code GPS}, posted to {@code /gps_time}), the config ({@code CONFIG}) or the first packets' arrival
 * ({@code PACKET_RECV}); the files' {@code type_time0_ctime} says which.
 *
 * @param firstPacketRecvNanos unix ns at which the first frame's first packet arrived, or 0 if none yet.
 */
public record TimeReference(long frame0Nanos, String type, long firstPacketRecvNanos)
{
    public static final String GPS = "GPS";
    public static final String CONFIG = "CONFIG";
    public static final String PACKET_RECV = "PACKET_RECV";

    /** Unix seconds of sample {@code seq}. */
    public double ctime(final long seq, final long samplePeriodNs)
    {
        return (frame0Nanos + (double)seq * samplePeriodNs) * 1e-9;
    }
}
