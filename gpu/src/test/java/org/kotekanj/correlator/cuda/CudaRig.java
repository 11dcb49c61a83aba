package org.kotekanj.correlator.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.kotekanj.correlator.CorrelatorGeometry;
import org.kotekanj.correlator.VisibilityFrameDescriptor;
import org.kotekanj.nativeio.HugePages;
import org.kotekanj.nativeio.MappedMemory;

/**
 * Drives a {@link CudaCorrelatorBackend} the way the {@code Correlator} stage does, over mmapped frames like the
 * receive buffer's: registered once, integrations opened and closed, {@code poll} until the counters say done.
 */
final class CudaRig implements AutoCloseable
{
    final CorrelatorGeometry geometry;
    final CudaCorrelatorBackend backend;
    final List<MappedMemory> sampleFrames = new ArrayList<>();
    final List<MappedMemory> visibilityFrames = new ArrayList<>();

    CudaRig(final CorrelatorGeometry geometry, final int sampleFrameCount, final int visibilityFrameCount,
        final CudaSettings settings)
    {
        this.geometry = geometry;
        for (int i = 0; i < sampleFrameCount; i++)
        {
            sampleFrames.add(MappedMemory.map(geometry.frameBytes(), HugePages.AUTO, -1));
        }
        for (int i = 0; i < visibilityFrameCount; i++)
        {
            final MappedMemory frame = MappedMemory.map(
                VisibilityFrameDescriptor.length(geometry.numFreqs(), geometry.numInputs()), HugePages.AUTO, -1);
            VisibilityFrameDescriptor.initialise(frame.segment(), geometry.numFreqs(), geometry.numInputs(),
                geometry.samplesPerIntegration());
            visibilityFrames.add(frame);
        }
        backend = new CudaCorrelatorBackend(geometry, settings, new CommandTimings(settings.commands()));
        backend.register(sampleFrames.stream().map(MappedMemory::segment).toList(),
            visibilityFrames.stream().map(MappedMemory::segment).toList());
    }

    static CudaSettings settings(final int framesInFlight, final int flushStages)
    {
        return new CudaSettings(0, framesInFlight, flushStages,
            CudaCommandList.parse(CudaCommandList.DEFAULT_NAMES, new ArrayList<>()));
    }

    MemorySegment sampleFrame(final int i, final byte[] content)
    {
        final MemorySegment frame = sampleFrames.get(i).segment();
        MemorySegment.copy(content, 0, frame, ValueLayout.JAVA_BYTE, 0, content.length);
        return frame;
    }

    MemorySegment visibilities(final int i)
    {
        final MemorySegment sums = VisibilityFrameDescriptor.visibilities(visibilityFrames.get(i).segment());
        sums.fill((byte)0x5A);   // the backend must overwrite every byte
        return sums;
    }

    /** Polls until {@code integrations} have completed (10 s deadline). */
    void awaitIntegrations(final long integrations)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (backend.integrationsCompleted() < integrations)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("integration " + integrations + " did not complete in 10 s");
            }
            backend.poll();
            Thread.onSpinWait();
        }
    }

    static long[] sums(final MemorySegment visibilities)
    {
        return visibilities.toArray(ValueLayout.JAVA_LONG);
    }

    /** One frame, one integration, through the backend in {@code ranges} accumulate calls. */
    long[] correlate(final byte[] content, final int ranges)
    {
        final MemorySegment frame = sampleFrame(0, content);
        final MemorySegment vis = visibilities(0);
        final long done = backend.integrationsCompleted();
        backend.beginIntegration(vis);
        final int samples = geometry.samplesPerFrame();
        for (int r = 0; r < ranges; r++)
        {
            final int first = (int)((long)samples * r / ranges);
            final int end = (int)((long)samples * (r + 1) / ranges);
            backend.accumulate(frame, first, end - first, r == ranges - 1);
        }
        backend.endIntegration();
        awaitIntegrations(done + 1);
        return sums(vis);
    }

    @Override
    public void close()
    {
        backend.close();
        sampleFrames.forEach(MappedMemory::close);
        visibilityFrames.forEach(MappedMemory::close);
    }
}
