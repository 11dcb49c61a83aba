package org.kotekanj.correlator.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;

/**
 * The few driver-API facts the backend needs before it opens a context, and the one way errors leave the driver:
 * {@link #check} turns a {@code CUresult} into an exception naming the call. Only reached after
 * {@link CudaDriverProbe} loaded JCuda, so this class may name JCuda types freely.
 */
final class CudaDriver
{
    private CudaDriver()
    {
    }

    /** Throws if {@code result} is not {@code CUDA_SUCCESS}. */
    static void check(final int result, final String call)
    {
        if (result != CUresult.CUDA_SUCCESS)
        {
            throw new IllegalStateException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    /** {@code cuInit}: why it failed, or {@code null}. */
    static String initProblem()
    {
        JCudaDriver.setExceptionsEnabled(false);
        final int init = JCudaDriver.cuInit(0);
        if (init != CUresult.CUDA_SUCCESS)
        {
            return "the CUDA driver did not initialise (" + CUresult.stringFor(init) + ")";
        }
        final int[] count = new int[1];
        final int got = JCudaDriver.cuDeviceGetCount(count);
        if (got != CUresult.CUDA_SUCCESS || count[0] == 0)
        {
            return "the CUDA driver sees no device";
        }
        return null;
    }

    /** Whether device {@code ordinal} exists and is new enough, or {@code null} if it can run the kernels. */
    static String deviceProblem(final int ordinal)
    {
        final int[] count = new int[1];
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal < 0 || ordinal >= count[0])
        {
            return "CUDA device " + ordinal + " does not exist (" + count[0] + " found)";
        }
        final int capability = computeCapability(ordinal);
        if (capability < CudaDriverProbe.MIN_COMPUTE_CAPABILITY)
        {
            return "CUDA device " + ordinal + " (" + name(ordinal) + ") is sm_" + capability +
                "; the kernels need sm_" + CudaDriverProbe.MIN_COMPUTE_CAPABILITY + " or newer";
        }
        return null;
    }

    static CUdevice device(final int ordinal)
    {
        final CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
        return device;
    }

    /** 10 * major + minor. */
    static int computeCapability(final int ordinal)
    {
        final CUdevice device = device(ordinal);
        final int[] major = new int[1];
        final int[] minor = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
            "cuDeviceGetAttribute");
        check(JCudaDriver.cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
            "cuDeviceGetAttribute");
        return 10 * major[0] + minor[0];
    }

    static String name(final int ordinal)
    {
        final byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device(ordinal)), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0)
        {
            end++;
        }
        return new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
