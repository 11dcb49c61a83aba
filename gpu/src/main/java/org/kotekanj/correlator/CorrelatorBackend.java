package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.kotekanj.status.MetricsRegistry;

/**
 * The X-engine behind the {@code Correlator} stage: integer-exact {@code Σ x_a·conj(x_b)} over the upper triangle of
 * the real inputs, written in the product order of {@code shared/specs/visibilities.md}. The stage owns the
 * buffers, the lost-sample counts and the frame bookkeeping; a backend only turns samples into sums, so a CPU and a
 * GPU backend are interchangeable and agree bit for bit.
 *
 * <p>The protocol is asynchronous so that a GPU can keep several frames in flight (host-to-device copies on one
 * stream overlapped with kernels on another) while the CPU backend simply finishes each call before it returns. All
 * calls come from the stage's one thread, in this order:
 *
 * <pre>
 *   backend.register(inputFrames, outputFrames)   once, after the buffers are mapped (GPU: pin them)
 *   repeat:
 *     backend.beginIntegration(visibilities)      out: int64 [freq][prod][re, im] of one visibility frame
 *     backend.accumulate(frame, firstTime, n, lastUseOfFrame)   one or more sample ranges of that integration
 *     backend.endIntegration()
 *   backend.poll()                                 any time: the backend retires what has finished
 *   backend.framesRetired(), integrationsCompleted()   monotonic counts the stage compares against its own
 * </pre>
 *
 * <p>Frames and integrations finish in submission order, so two counters say everything: the stage releases its
 * input frames oldest first while {@link #framesRetired()} is ahead of its released count, and publishes visibility
 * frames while {@link #integrationsCompleted()} is ahead of its published count. Nothing allocates per frame.
 *
 * <p>Samples are 4+4-bit offset-binary bytes ({@code x = (hi − 8) + i·(lo − 8)}); lost samples arrive as {@code 0x88}
 * (zero) and need no mask. A byte {@code 0x00} ({@code −8 − 8i}, forbidden by the spec but sent by broken F-engines)
 * must still be summed exactly.
 */
public interface CorrelatorBackend extends AutoCloseable
{
    /** {@code cpu} or {@code cuda} exactly: the {@code backend} attribute of visibility files. */
    String name();

    /** What runs the sums, for logs, {@code /status} and the {@code backend_device} file attribute. */
    String device();

    /** The geometry this backend was built for. */
    CorrelatorGeometry geometry();

    /**
     * Sample frames this backend may hold at once (acquired by the stage, not yet retired). The stage acquires no more
     * than this many input frames; the CPU backend holds none after a call returns, a GPU backend typically 2-4.
     */
    int maxFramesInFlight();

    /**
     * Learns every frame of the input and output buffers once, before the first integration: the segments are the
     * mmapped frames that later calls pass slices of. A GPU backend pins them ({@code cuMemHostRegister}) so copies
     * go by DMA straight from the receive buffer; the CPU backend ignores them.
     *
     * @param sampleFrames       every frame of the sample buffer ({@code geometry().frameBytes()} each).
     * @param visibilityFrames   every frame of the visibility buffer.
     */
    default void register(final List<MemorySegment> sampleFrames, final List<MemorySegment> visibilityFrames)
    {
    }

    /**
     * Opens the next integration, whose sums are to be written to {@code visibilities}: int64
     * {@code [numFreqs][numProducts][2]} (re, im), native byte order, {@link VisibilityFrameDescriptor#visibilities}
     * of a claimed visibility frame. The backend overwrites all of it by the time the integration completes (the
     * stage does not zero it); it must not touch it after.
     */
    void beginIntegration(MemorySegment visibilities);

    /**
     * Adds samples {@code [firstTime, firstTime + numTime)} of a sample frame (frame-relative time indices, every
     * frequency, real inputs only) to the open integration. The backend may read {@code frame} until
     * {@link #framesRetired()} counts it.
     *
     * @param frame          one whole sample frame, {@code [freq][time][paddedInputs]}.
     * @param lastUseOfFrame true on the last range the stage will pass from this frame; only then does the frame
     *                       count towards {@link #framesRetired()}.
     */
    void accumulate(MemorySegment frame, int firstTime, int numTime, boolean lastUseOfFrame);

    /** Closes the open integration; it counts in {@link #integrationsCompleted()} once its sums are written. */
    void endIntegration();

    /**
     * Advances asynchronous work without blocking (checks events, launches queued copies); a synchronous backend has
     * nothing to do.
     */
    default void poll()
    {
    }

    /** Frames whose last use has been submitted and that the backend will never read again (monotonic). */
    long framesRetired();

    /** Integrations whose sums are fully written to their visibility segment (monotonic). */
    long integrationsCompleted();

    /**
     * Publishes the backend's own metrics under the stage's name, once after it is created (a GPU backend: device-side
     * time of each command, {@code kotekan_corr_kernel_seconds} and {@code kotekan_corr_copy_seconds} by
     * {@code command}). None by default.
     */
    default void bindMetrics(final MetricsRegistry metrics, final String stage)
    {
    }

    /** The backend's own part of the stage's status line (a GPU backend: mean time of each command), or "". */
    default String statusDetail()
    {
        return "";
    }

    /** Waits for everything submitted, then frees the backend's resources (on the stage's thread, at close). */
    @Override
    void close();
}
