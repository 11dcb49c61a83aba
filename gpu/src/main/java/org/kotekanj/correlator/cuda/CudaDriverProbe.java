package org.kotekanj.correlator.cuda;

/**
 * Finds out once, without failing, whether this machine can run the CUDA backend: JCuda's native library loads only
 * where {@code libcuda.so.1} exists, and its class then fails to initialise forever ({@link UnsatisfiedLinkError}
 * the first time, {@link NoClassDefFoundError} after), so nothing else may touch a JCuda class before this probe says
 * yes. The answer is one sentence for logs and {@code backend: cuda} refusals, or {@code null} when a usable device
 * (compute capability 8.0 or newer, what the kernels are built for) is there.
 */
public final class CudaDriverProbe
{
    /** The oldest compute capability the fatbin and PTX serve (mma.sync s8 m16n8k32, cp.async, ldmatrix). */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    private CudaDriverProbe()
    {
    }

    /** {@code null} when device {@code device} can run the kernels, else why not (one sentence). */
    public static String unavailableReason(final int device)
    {
        final String driver = Holder.DRIVER_PROBLEM;
        if (driver != null)
        {
            return driver;
        }
        return CudaDriver.deviceProblem(device);
    }

    /** Why the driver could not be loaded or initialised, or {@code null}; probed once per JVM. */
    static String driverProblem()
    {
        return Holder.DRIVER_PROBLEM;
    }

    private static final class Holder
    {
        static final String DRIVER_PROBLEM = probe();

        private static String probe()
        {
            try
            {
                Class.forName("jcuda.driver.JCudaDriver", true, CudaDriverProbe.class.getClassLoader());
            }
            catch (final LinkageError | ClassNotFoundException e)
            {
                return "no CUDA driver on this machine (" + firstLine(e) + ")";
            }
            return CudaDriver.initProblem();
        }

        private static String firstLine(final Throwable e)
        {
            Throwable t = e;
            String fallback = e.getClass().getSimpleName();
            while (t != null)
            {
                final String message = t.getMessage();
                if (message != null)
                {
                    for (final String line : message.split("\n"))
                    {
                        if (line.contains("libcuda"))
                        {
                            final int colon = line.indexOf("libcuda");
                            return line.substring(colon).trim();
                        }
                    }
                    if (fallback.equals(e.getClass().getSimpleName()))
                    {
                        fallback = message.lines().findFirst().orElse(fallback).trim();
                    }
                }
                t = t.getCause();
            }
            return fallback;
        }
    }
}
