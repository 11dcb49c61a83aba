package org.kotekanj.correlator.cuda;

import org.kotekanj.correlator.CorrelatorGeometry;

/**
 * The launch shapes and device buffer sizes of the kernels for one {@link CorrelatorGeometry}, mirroring the
 * constants of {@code kj_layout.cuh}: x holds {@code [freq][tb][input][32]} int8 for whole 64-sample stages, unpack
 * runs one thread per 4 inputs and time block, correlate one block of 128 threads per 64x64 tile pair of the upper
 * triangle and frequency.
 */
public record KernelGeometry(CorrelatorGeometry geometry)
{
    public static final int TB_SAMPLES = 16;
    public static final int STAGE_TB = 4;
    public static final int ROW_BYTES = 32;
    public static final int TILE = 64;
    public static final int CORRELATE_THREADS = 128;
    public static final int UNPACK_THREADS = 128;
    public static final int UNPACK_INPUTS = 4 * UNPACK_THREADS;
    /** CUDA's limit on gridDim.y and gridDim.z. */
    public static final int MAX_GRID_YZ = 65535;

    /** Why the kernels cannot run this geometry, or {@code null}. */
    public static String problem(final CorrelatorGeometry geometry)
    {
        if (geometry.paddedInputs() % TILE != 0)
        {
            return "padded inputs must be a multiple of " + TILE + " for the CUDA kernels";
        }
        if (timeBlocks(geometry.samplesPerFrame()) > MAX_GRID_YZ)
        {
            return "samples_per_frame above " + (MAX_GRID_YZ / STAGE_TB * STAGE_TB * TB_SAMPLES) +
                " does not fit the unpack grid";
        }
        if (geometry.numFreqs() > MAX_GRID_YZ)
        {
            return "more than " + MAX_GRID_YZ + " frequencies per frame do not fit the kernels' grids";
        }
        return null;
    }

    /** Time blocks of x for a range of {@code numTime} samples: whole stages (kj_ntb). */
    public static int timeBlocks(final int numTime)
    {
        final int stage = STAGE_TB * TB_SAMPLES;
        return (numTime + stage - 1) / stage * STAGE_TB;
    }

    /** Bytes of x for the longest range (a whole frame). */
    public long xBytes()
    {
        return (long)geometry.numFreqs() * timeBlocks(geometry.samplesPerFrame()) * geometry.paddedInputs() * ROW_BYTES;
    }

    public int unpackGridX()
    {
        return (geometry.paddedInputs() + UNPACK_INPUTS - 1) / UNPACK_INPUTS;
    }

    /** Tile pairs of the upper triangle: nb(nb+1)/2 with nb = paddedInputs / 64. */
    public int correlateGridX()
    {
        final int nb = geometry.paddedInputs() / TILE;
        return nb * (nb + 1) / 2;
    }

    /**
     * Tensor-core operations one range of {@code numTime} samples executes (two m16n8k32 mma per tile of 16x8 and time
     * block, 2 * 16 * 8 * 32 operations each), lower halves of diagonal tiles and padding included.
     */
    public double tensorOps(final int numTime)
    {
        final double tilesPerPair = (TILE / 16.0) * (TILE / 8.0);
        return (double)correlateGridX() * geometry.numFreqs() * tilesPerPair * timeBlocks(numTime) * 2 *
            (2.0 * 16 * 8 * 32);
    }

    /** Useful operations: 8 real operations per complex multiply-accumulate of each product and sample. */
    public double usefulOps(final long numTime)
    {
        return 8.0 * geometry.numProducts() * geometry.numFreqs() * numTime;
    }
}
