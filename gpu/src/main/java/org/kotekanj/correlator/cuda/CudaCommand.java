package org.kotekanj.correlator.cuda;

/**
 * One step of the GPU work, as named in the backend's {@code commands:} list (Kotekan's GPU command vocabulary).
 * Copies run on copy streams (the device's DMA engines), kernels on the compute stream; timing metrics are split the
 * same way ({@code kotekan_corr_copy_seconds}, {@code kotekan_corr_kernel_seconds}).
 */
public enum CudaCommand
{
    /** Host frame (pinned in place in the receive buffer) to device, once per sample frame. */
    COPY_IN("copy_in", true),
    /** 4+4-bit offset binary to int8, transposed into the tensor-core layout, per sample range. */
    UNPACK("unpack", false),
    /** int8 mma.sync over the upper triangle into the device's int64 sums, per sample range. */
    CORRELATE("correlate", false),
    /** Device sums to the visibility frame, once per integration. */
    COPY_OUT("copy_out", true);

    private final String configName;
    private final boolean copy;

    CudaCommand(final String configName, final boolean copy)
    {
        this.configName = configName;
        this.copy = copy;
    }

    /** The name in YAML, {@code /status} and the metrics' {@code command} label. */
    public String configName()
    {
        return configName;
    }

    /** Whether this is a copy (else a kernel). */
    public boolean isCopy()
    {
        return copy;
    }

    /** The command of a YAML name, or {@code null}. */
    public static CudaCommand byName(final String name)
    {
        for (final CudaCommand command : values())
        {
            if (command.configName.equals(name))
            {
                return command;
            }
        }
        return null;
    }
}
