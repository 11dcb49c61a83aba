package org.kotekanj.correlator.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.agrona.collections.Long2ObjectHashMap;
import org.kotekanj.correlator.CorrelatorBackend;
import org.kotekanj.correlator.CorrelatorGeometry;
import org.kotekanj.correlator.VisibilityFrameDescriptor;
import org.kotekanj.log.Log;
import org.kotekanj.status.MetricsRegistry;

import static org.kotekanj.correlator.cuda.CudaDriver.check;

/**
 * The int8 tensor-core X-engine on one CUDA device, through JCuda's driver API.
 *
 * <p>One owner thread (the stage's) creates the context and makes every call; nothing else touches it. Sample frames
 * are pinned where they lie in the receive buffer ({@code cuMemHostRegister} at {@link #register}) and copied whole by
 * DMA into one of {@code frames_in_flight} device slots on the copy-in stream, while the compute stream unpacks and
 * correlates earlier frames (it waits on the copy's event, never on the host). Each integration sums into one of two
 * device int64 buffers, so the copy-out stream returns one integration while the next accumulates. Completion is
 * learnt from events in {@link #poll}, oldest first, and every command's duration is read from its own pair of
 * events into {@link CommandTimings}. Nothing allocates per frame: kernel parameter blocks, events and host pointers
 * are made at start.
 */
public final class CudaCorrelatorBackend implements CorrelatorBackend
{
    private static final Log LOG = Log.of("cuda");
    /** Timed commands whose events are not yet read back; when full the oldest is waited for. */
    private static final int TIMING_RING = 64;

    private final CorrelatorGeometry geometry;
    private final KernelGeometry shapes;
    private final CudaSettings settings;
    private final CommandTimings timings;
    private final Thread owner = Thread.currentThread();
    private final int ordinal;
    private final String deviceName;

    private final CUcontext context = new CUcontext();
    private final CUdevice device;
    private final CudaKernels kernels;
    private final CUstream copyIn = new CUstream();
    private final CUstream compute = new CUstream();
    private final CUstream copyOut = new CUstream();

    // sample frame slots
    private final CUdeviceptr[] frameSlots;
    private final CUevent[] copiedIn;
    private final CUevent[] slotRetired;
    private final boolean[] slotBusy;
    private final int[] retireQueue;
    private int retireHead;
    private int retireCount;
    private int nextSlot;
    private int loadedSlot = -1;
    private long loadedAddress;

    // x and the two integration sums
    private final CUdeviceptr x = new CUdeviceptr();
    private final CUdeviceptr[] sums = {new CUdeviceptr(), new CUdeviceptr()};
    private final CUevent[] summed = {new CUevent(), new CUevent()};
    private final CUevent[] copiedOut = {new CUevent(), new CUevent()};
    private final boolean[] sumBusy = new boolean[2];
    private final Pointer[] sumTargets = new Pointer[2];
    private final int[] completeQueue = new int[2];
    private int completeHead;
    private int completeCount;
    private int nextSum;
    private int openSum = -1;

    // kernel parameters: one block per slot (unpack) and per sum buffer (correlate), scalars updated before launches
    private final int[] frameTime;
    private final int[] firstTime = new int[1];
    private final int[] numTime = new int[1];
    private final int[] paddedInputs;
    private final int[] timeBlocks = new int[1];
    private final int[] numInputs;
    private final int[] flushStages;
    private final Pointer[] unpackParams;
    private final Pointer[] correlateParams;

    // timing events, read back in submission order
    private final CUevent[] timingStart = new CUevent[TIMING_RING];
    private final CUevent[] timingEnd = new CUevent[TIMING_RING];
    private final CudaCommand[] timingCommand = new CudaCommand[TIMING_RING];
    private final float[] elapsedMs = new float[1];
    private int timingHead;
    private int timingCount;

    private final Long2ObjectHashMap<HostPointer> pinned = new Long2ObjectHashMap<>();
    private final List<HostPointer> registered = new ArrayList<>();
    private long unpinnedCopies;
    private long framesRetired;
    private long integrationsCompleted;
    private boolean closed;

    /**
     * Opens device {@code settings.device()} on the calling thread, which becomes the owner. The driver must have been
     * probed ({@link CudaDriverProbe#unavailableReason}).
     */
    public CudaCorrelatorBackend(final CorrelatorGeometry geometry, final CudaSettings settings,
        final CommandTimings timings)
    {
        final String problem = KernelGeometry.problem(geometry);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        final String unavailable = CudaDriverProbe.unavailableReason(settings.device());
        if (unavailable != null)
        {
            throw new IllegalStateException(unavailable);
        }
        this.geometry = geometry;
        this.shapes = new KernelGeometry(geometry);
        this.settings = settings;
        this.timings = timings;
        this.ordinal = settings.device();
        this.deviceName = CudaDriver.name(ordinal) + " (sm_" + CudaDriver.computeCapability(ordinal) + ")";
        device = CudaDriver.device(ordinal);
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        kernels = new CudaKernels();
        check(JCudaDriver.cuStreamCreate(copyIn, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        check(JCudaDriver.cuStreamCreate(compute, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        check(JCudaDriver.cuStreamCreate(copyOut, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");

        final int slots = settings.framesInFlight();
        frameSlots = new CUdeviceptr[slots];
        copiedIn = new CUevent[slots];
        slotRetired = new CUevent[slots];
        slotBusy = new boolean[slots];
        retireQueue = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            frameSlots[i] = new CUdeviceptr();
            check(JCudaDriver.cuMemAlloc(frameSlots[i], geometry.frameBytes()), "cuMemAlloc (sample frame)");
            copiedIn[i] = event(CUevent_flags.CU_EVENT_DISABLE_TIMING);
            slotRetired[i] = event(CUevent_flags.CU_EVENT_DISABLE_TIMING);
        }
        check(JCudaDriver.cuMemAlloc(x, shapes.xBytes()), "cuMemAlloc (x)");
        for (int i = 0; i < 2; i++)
        {
            check(JCudaDriver.cuMemAlloc(sums[i], geometry.visibilityBytes()), "cuMemAlloc (sums)");
            summed[i] = event(CUevent_flags.CU_EVENT_DISABLE_TIMING);
            copiedOut[i] = event(CUevent_flags.CU_EVENT_DISABLE_TIMING);
        }
        for (int i = 0; i < TIMING_RING; i++)
        {
            timingStart[i] = event(CUevent_flags.CU_EVENT_DEFAULT);
            timingEnd[i] = event(CUevent_flags.CU_EVENT_DEFAULT);
        }

        frameTime = new int[] {geometry.samplesPerFrame()};
        paddedInputs = new int[] {geometry.paddedInputs()};
        numInputs = new int[] {geometry.numInputs()};
        flushStages = new int[] {settings.flushStages()};
        unpackParams = new Pointer[slots];
        for (int i = 0; i < slots; i++)
        {
            unpackParams[i] = Pointer.to(Pointer.to(frameSlots[i]), Pointer.to(x), Pointer.to(frameTime),
                Pointer.to(firstTime), Pointer.to(numTime), Pointer.to(paddedInputs), Pointer.to(timeBlocks));
        }
        correlateParams = new Pointer[2];
        for (int i = 0; i < 2; i++)
        {
            correlateParams[i] = Pointer.to(Pointer.to(x), Pointer.to(sums[i]), Pointer.to(numInputs),
                Pointer.to(paddedInputs), Pointer.to(timeBlocks), Pointer.to(flushStages));
        }
        LOG.info("CUDA backend on device " + ordinal + ": " + deviceName + ", kernels from " + kernels.image + ", " +
            slots + " frames in flight, commands " + settings.commands().names());
    }

    private static CUevent event(final int flags)
    {
        final CUevent event = new CUevent();
        check(JCudaDriver.cuEventCreate(event, flags), "cuEventCreate");
        return event;
    }

    @Override
    public String name()
    {
        return "cuda";
    }

    @Override
    public String device()
    {
        return deviceName;
    }

    @Override
    public CorrelatorGeometry geometry()
    {
        return geometry;
    }

    @Override
    public int maxFramesInFlight()
    {
        return settings.framesInFlight();
    }

    @Override
    public void bindMetrics(final MetricsRegistry metrics, final String stage)
    {
        timings.bind(metrics, stage);
    }

    /** Mean device time of each command, and copies from memory that was not pinned. */
    @Override
    public String statusDetail()
    {
        return "device time " + timings.statusLine() + (unpinnedCopies == 0 ? "" : "; unpinned copies " +
            unpinnedCopies);
    }

    /** The per-command timings (also in {@code /status} through the stage). */
    public CommandTimings timings()
    {
        return timings;
    }

    /** Copies that went from memory {@link #register} did not pin (slower, synchronous DMA staging). */
    public long unpinnedCopies()
    {
        return unpinnedCopies;
    }

    @Override
    public void register(final List<MemorySegment> sampleFrames, final List<MemorySegment> visibilityFrames)
    {
        checkOwner();
        final List<long[]> spans = new ArrayList<>();
        for (final MemorySegment frame : sampleFrames)
        {
            spans.add(new long[] {frame.address(), frame.address() + frame.byteSize()});
            pinned.put(frame.address(), new HostPointer(frame.address()));
        }
        final long sumsOffset = VisibilityFrameDescriptor.visibilitiesOffset(geometry.numFreqs());
        for (final MemorySegment frame : visibilityFrames)
        {
            spans.add(new long[] {frame.address(), frame.address() + frame.byteSize()});
            pinned.put(frame.address() + sumsOffset, new HostPointer(frame.address() + sumsOffset));
        }
        for (final long[] span : PageSpans.merge(spans))
        {
            final HostPointer pointer = new HostPointer(span[0]);
            check(JCudaDriver.cuMemHostRegister(pointer, span[1] - span[0], 0), "cuMemHostRegister");
            registered.add(pointer);
        }
    }

    private Pointer hostPointer(final MemorySegment segment)
    {
        if (!segment.isNative())
        {
            throw new IllegalArgumentException("the CUDA backend copies native memory only (mapped frames)");
        }
        final HostPointer pointer = pinned.get(segment.address());
        if (pointer != null)
        {
            return pointer;
        }
        if (unpinnedCopies++ == 0)
        {
            LOG.warn("copying from memory the correlator did not register (pageable): slower; count in /status");
        }
        return new HostPointer(segment.address());
    }

    @Override
    public void beginIntegration(final MemorySegment visibilities)
    {
        checkOwner();
        if (openSum >= 0)
        {
            throw new IllegalStateException("beginIntegration while an integration is open");
        }
        if (visibilities.byteSize() != geometry.visibilityBytes())
        {
            throw new IllegalArgumentException("visibilities hold " + visibilities.byteSize() + " bytes, expected " +
                geometry.visibilityBytes());
        }
        final int sum = nextSum;
        nextSum ^= 1;
        while (sumBusy[sum])
        {
            check(JCudaDriver.cuEventSynchronize(copiedOut[sum]), "cuEventSynchronize");
            poll();
        }
        check(JCudaDriver.cuMemsetD8Async(sums[sum], (byte)0, geometry.visibilityBytes(), compute), "cuMemsetD8Async");
        sumTargets[sum] = hostPointer(visibilities);
        openSum = sum;
    }

    @Override
    public void accumulate(final MemorySegment frame, final int first, final int count, final boolean lastUseOfFrame)
    {
        checkOwner();
        if (openSum < 0)
        {
            throw new IllegalStateException("accumulate outside an integration");
        }
        if (first < 0 || count < 1 || (long)first + count > geometry.samplesPerFrame() ||
            frame.byteSize() < geometry.frameBytes())
        {
            throw new IllegalArgumentException("samples [" + first + ", " + first + "+" + count + ") of a frame of " +
                frame.byteSize() + " bytes do not fit the geometry");
        }
        if (frame.address() != loadedAddress || loadedSlot < 0)
        {
            copyIn(frame);
        }
        final int slot = loadedSlot;
        firstTime[0] = first;
        numTime[0] = count;
        timeBlocks[0] = KernelGeometry.timeBlocks(count);

        int timing = startTiming(CudaCommand.UNPACK, compute);
        check(JCudaDriver.cuLaunchKernel(kernels.unpack, shapes.unpackGridX(), timeBlocks[0], geometry.numFreqs(),
            KernelGeometry.UNPACK_THREADS, 1, 1, 0, compute, unpackParams[slot], null), "cuLaunchKernel kj_unpack");
        endTiming(timing, compute);

        timing = startTiming(CudaCommand.CORRELATE, compute);
        check(JCudaDriver.cuLaunchKernel(kernels.correlate, shapes.correlateGridX(), geometry.numFreqs(), 1,
            KernelGeometry.CORRELATE_THREADS, 1, 1, 0, compute, correlateParams[openSum], null),
            "cuLaunchKernel kj_correlate");
        endTiming(timing, compute);

        if (lastUseOfFrame)
        {
            check(JCudaDriver.cuEventRecord(slotRetired[slot], compute), "cuEventRecord");
            retireQueue[(retireHead + retireCount) % retireQueue.length] = slot;
            retireCount++;
            loadedSlot = -1;
            loadedAddress = 0;
        }
    }

    /** copy_in: the whole frame into the next slot on the copy-in stream; the compute stream waits for its event. */
    private void copyIn(final MemorySegment frame)
    {
        final int slot = nextSlot;
        nextSlot = (nextSlot + 1) % frameSlots.length;
        while (slotBusy[slot])
        {
            check(JCudaDriver.cuEventSynchronize(slotRetired[slot]), "cuEventSynchronize");
            poll();
        }
        final int timing = startTiming(CudaCommand.COPY_IN, copyIn);
        check(JCudaDriver.cuMemcpyHtoDAsync(frameSlots[slot], hostPointer(frame), geometry.frameBytes(), copyIn),
            "cuMemcpyHtoDAsync");
        endTiming(timing, copyIn);
        check(JCudaDriver.cuEventRecord(copiedIn[slot], copyIn), "cuEventRecord");
        check(JCudaDriver.cuStreamWaitEvent(compute, copiedIn[slot], 0), "cuStreamWaitEvent");
        slotBusy[slot] = true;
        loadedSlot = slot;
        loadedAddress = frame.address();
    }

    @Override
    public void endIntegration()
    {
        checkOwner();
        if (openSum < 0)
        {
            throw new IllegalStateException("endIntegration without an open integration");
        }
        final int sum = openSum;
        check(JCudaDriver.cuEventRecord(summed[sum], compute), "cuEventRecord");
        check(JCudaDriver.cuStreamWaitEvent(copyOut, summed[sum], 0), "cuStreamWaitEvent");
        final int timing = startTiming(CudaCommand.COPY_OUT, copyOut);
        check(JCudaDriver.cuMemcpyDtoHAsync(sumTargets[sum], sums[sum], geometry.visibilityBytes(), copyOut),
            "cuMemcpyDtoHAsync");
        endTiming(timing, copyOut);
        check(JCudaDriver.cuEventRecord(copiedOut[sum], copyOut), "cuEventRecord");
        sumBusy[sum] = true;
        completeQueue[(completeHead + completeCount) % 2] = sum;
        completeCount++;
        openSum = -1;
    }

    @Override
    public void poll()
    {
        checkOwner();
        drain();
    }

    /** Retires frames, completes integrations and reads timings whose events have completed, oldest first. */
    private void drain()
    {
        while (retireCount > 0 && done(slotRetired[retireQueue[retireHead]]))
        {
            slotBusy[retireQueue[retireHead]] = false;
            retireHead = (retireHead + 1) % retireQueue.length;
            retireCount--;
            framesRetired++;
        }
        while (completeCount > 0 && done(copiedOut[completeQueue[completeHead]]))
        {
            sumBusy[completeQueue[completeHead]] = false;
            completeHead = (completeHead + 1) % 2;
            completeCount--;
            integrationsCompleted++;
        }
        while (timingCount > 0 && done(timingEnd[timingHead]))
        {
            readTiming();
        }
    }

    private static boolean done(final CUevent event)
    {
        final int result = JCudaDriver.cuEventQuery(event);
        if (result == CUresult.CUDA_ERROR_NOT_READY)
        {
            return false;
        }
        check(result, "cuEventQuery");
        return true;
    }

    private int startTiming(final CudaCommand command, final CUstream stream)
    {
        if (timingCount == TIMING_RING)
        {
            check(JCudaDriver.cuEventSynchronize(timingEnd[timingHead]), "cuEventSynchronize");
            readTiming();
        }
        final int index = (timingHead + timingCount) % TIMING_RING;
        timingCommand[index] = command;
        check(JCudaDriver.cuEventRecord(timingStart[index], stream), "cuEventRecord");
        timingCount++;
        return index;
    }

    private void endTiming(final int index, final CUstream stream)
    {
        check(JCudaDriver.cuEventRecord(timingEnd[index], stream), "cuEventRecord");
    }

    private void readTiming()
    {
        check(JCudaDriver.cuEventElapsedTime(elapsedMs, timingStart[timingHead], timingEnd[timingHead]),
            "cuEventElapsedTime");
        timings.record(timingCommand[timingHead], (long)(elapsedMs[0] * 1e6));
        timingHead = (timingHead + 1) % TIMING_RING;
        timingCount--;
    }

    @Override
    public long framesRetired()
    {
        return framesRetired;
    }

    @Override
    public long integrationsCompleted()
    {
        return integrationsCompleted;
    }

    private void checkOwner()
    {
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("the CUDA backend is owned by thread " + owner.getName() +
                "; called from " + Thread.currentThread().getName());
        }
        if (closed)
        {
            throw new IllegalStateException("the CUDA backend is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
        drain();   // everything has finished: the counters reach what was submitted
        closed = true;
        for (final HostPointer pointer : registered)
        {
            JCudaDriver.cuMemHostUnregister(pointer);
        }
        for (final CUdeviceptr slot : frameSlots)
        {
            JCudaDriver.cuMemFree(slot);
        }
        JCudaDriver.cuMemFree(x);
        for (final CUdeviceptr sum : sums)
        {
            JCudaDriver.cuMemFree(sum);
        }
        for (int i = 0; i < TIMING_RING; i++)
        {
            JCudaDriver.cuEventDestroy(timingStart[i]);
            JCudaDriver.cuEventDestroy(timingEnd[i]);
        }
        for (final CUevent[] events : new CUevent[][] {copiedIn, slotRetired, summed, copiedOut})
        {
            for (final CUevent event : events)
            {
                JCudaDriver.cuEventDestroy(event);
            }
        }
        JCudaDriver.cuStreamDestroy(copyIn);
        JCudaDriver.cuStreamDestroy(compute);
        JCudaDriver.cuStreamDestroy(copyOut);
        kernels.close();
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
