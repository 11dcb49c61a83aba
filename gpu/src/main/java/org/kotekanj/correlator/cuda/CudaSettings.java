package org.kotekanj.correlator.cuda;

import java.util.ArrayList;
import java.util.List;

import org.kotekanj.config.StageConfig;

/**
 * The CUDA backend's own keys of a {@code Correlator} stage, read once in the stage's constructor:
 *
 * <pre>
 *   cuda_device: 0            device ordinal
 *   frames_in_flight: 3       sample frames on the device at once (copy of one overlapping compute of another)
 *   flush_stages: 131072      64-sample stages between int64 flushes (1 .. 131072; the int32 overflow bound)
 *   commands: [copy_in, unpack, correlate, copy_out]
 * </pre>
 */
public record CudaSettings(int device, int framesInFlight, int flushStages, CudaCommandList commands)
{
    public static final int DEFAULT_FRAMES_IN_FLIGHT = 3;
    public static final int MAX_FRAMES_IN_FLIGHT = 8;
    /** KJ_MAX_FLUSH_STAGES of kj_layout.cuh: 2^23 samples, half of what int32 holds at |x| <= 8. */
    public static final int MAX_FLUSH_STAGES = 131072;

    /** Reads and checks the keys, recording errors in the config; never returns {@code null}. */
    public static CudaSettings read(final StageConfig config)
    {
        final int device = config.getInt("cuda_device", 0);
        if (device < 0)
        {
            config.error("cuda_device", "cuda_device must be 0 or more, found " + device);
        }
        final int inFlight = config.getInt("frames_in_flight", DEFAULT_FRAMES_IN_FLIGHT);
        if (inFlight < 1 || inFlight > MAX_FRAMES_IN_FLIGHT)
        {
            config.error("frames_in_flight", "frames_in_flight must be 1.." + MAX_FRAMES_IN_FLIGHT + ", found " +
                inFlight);
        }
        final int flush = config.getInt("flush_stages", MAX_FLUSH_STAGES);
        if (flush < 1 || flush > MAX_FLUSH_STAGES)
        {
            config.error("flush_stages", "flush_stages must be 1.." + MAX_FLUSH_STAGES +
                " (int32 sums overflow beyond), found " + flush);
        }
        final List<String> names = config.has("commands") ? config.getStringList("commands") :
            CudaCommandList.DEFAULT_NAMES;
        final List<String> problems = new ArrayList<>();
        CudaCommandList commands = CudaCommandList.parse(names, problems);
        for (final String problem : problems)
        {
            config.error("commands", problem);
        }
        if (commands == null)
        {
            commands = CudaCommandList.parse(CudaCommandList.DEFAULT_NAMES, new ArrayList<>());
        }
        return new CudaSettings(Math.max(device, 0), Math.clamp(inFlight, 1, MAX_FRAMES_IN_FLIGHT),
            Math.clamp(flush, 1, MAX_FLUSH_STAGES), commands);
    }
}
