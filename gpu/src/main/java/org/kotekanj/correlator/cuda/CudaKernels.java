package org.kotekanj.correlator.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The committed kernels of {@code gpu/src/main/cuda} loaded into the current context with {@code cuModuleLoadData}:
 * the fatbin (sm_80, sm_89, sm_90 cubins and compute_90 PTX) first, the PTX for the driver's JIT if the fatbin has
 * nothing for this device.
 */
final class CudaKernels implements AutoCloseable
{
    static final String RESOURCES = "/org/kotekanj/correlator/cuda/";
    static final String[] IMAGES = {"correlator.fatbin", "correlator_compute_90.ptx", "correlator_compute_80.ptx"};

    final CUmodule module = new CUmodule();
    final CUfunction unpack = new CUfunction();
    final CUfunction correlate = new CUfunction();
    final String image;

    CudaKernels()
    {
        String loaded = null;
        final StringBuilder failures = new StringBuilder();
        for (final String name : IMAGES)
        {
            final byte[] bytes = image(name);
            final int result = JCudaDriver.cuModuleLoadData(module, bytes);
            if (result == CUresult.CUDA_SUCCESS)
            {
                loaded = name;
                break;
            }
            failures.append(failures.length() == 0 ? "" : ", ").append(name).append(": ")
                .append(CUresult.stringFor(result));
        }
        if (loaded == null)
        {
            throw new IllegalStateException("no kernel image loads on this device (" + failures + ")");
        }
        image = loaded;
        CudaDriver.check(JCudaDriver.cuModuleGetFunction(unpack, module, "kj_unpack"), "cuModuleGetFunction kj_unpack");
        CudaDriver.check(JCudaDriver.cuModuleGetFunction(correlate, module, "kj_correlate"),
            "cuModuleGetFunction kj_correlate");
    }

    /** A committed image's bytes; PTX gets the NUL terminator the driver expects. */
    static byte[] image(final String name)
    {
        try (InputStream in = CudaKernels.class.getResourceAsStream(RESOURCES + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("kernel image " + name + " is missing from the classpath");
            }
            final byte[] bytes = in.readAllBytes();
            return name.endsWith(".ptx") ? Arrays.copyOf(bytes, bytes.length + 1) : bytes;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read kernel image " + name, e);
        }
    }

    @Override
    public void close()
    {
        JCudaDriver.cuModuleUnload(module);
    }
}
