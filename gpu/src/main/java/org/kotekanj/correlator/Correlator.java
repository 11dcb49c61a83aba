package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.status.AtomicCounter;
import org.kotekanj.buffer.FrameConsumer;
import org.kotekanj.buffer.FrameMetadataDescriptor;
import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.log.Log;
import org.kotekanj.rest.RestResponse;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;
import org.kotekanj.status.LatencyHistogram;
import org.kotekanj.status.MetricsRegistry;

/**
 * The X-engine stage: reads the receive path's sample frames ({@code [freq][time][input]}, SampleMetadata), sums
 * {@code samples_per_integration} samples of every product of the real inputs into integrated visibility frames
 * ({@link VisibilityFrameDescriptor}), and counts the lost samples of each (integration, frequency) from the frames'
 * presence flags. The sums come from a {@link CorrelatorBackend} chosen by {@code backend}.
 *
 * <pre>
 * correlator:
 *   kotekan_stage: Correlator
 *   in_buf: gpu_input                 # sample frames
 *   out_buf: visibilities             # frame_size >= VisibilityFrameDescriptor.length(freqs, inputs)
 *   samples_per_frame: 49152          # as the receiver (profile and node keys are inherited as well)
 *   samples_per_integration: 98304    # a multiple or a divisor of samples_per_frame
 *   backend: auto                     # cpu | cuda | auto (cuda where a driver and a device are present)
 *   num_threads: 1                    # cpu: threads over baseline tiles, pinned to cpu_affinity one each
 * </pre>
 *
 * Integrations are aligned to multiples of their length in absolute sample time, as frames are. Samples of an
 * integration that no frame brought (a frame never published, the first integration joined midway, the run's end)
 * count as lost, as do the samples whose presence flag says lost. Serves {@code GET /visibilities/latest?freq_id=N}.
 * Metrics: {@code kotekan_corr_integrations_total}, {@code kotekan_corr_lost_samples_total} (summed over
 * frequencies), {@code kotekan_corr_kernel_seconds} (histogram of one frame's sums).
 */
public final class Correlator extends Stage
{
    private final FrameConsumer in;
    private final FrameProducer out;
    private final Log log;
    private final CorrelatorGeometry geometry;
    private final CorrelatorBackendProvider.Configured configured;
    private final String backendChoice;
    private final int[] cpus;
    private final long[] lost;
    private final int[] freqIds;
    private final AtomicCounter integrations;
    private final AtomicCounter lostSamples;
    private final LatencyHistogram kernelTime;
    private final MetricsRegistry metrics;
    private final LatestVisibilities latest;
    private CorrelatorBackend backend;
    private byte[] deviceName;

    // the frame being worked through: slot, first sample, next time index, samples already accumulated
    private int slot = -1;
    private long frameSeq;
    private int position;
    private long acquired;
    private long released;
    // the open integration: its output slot, first sample, samples seen, flags
    private int outSlot = -1;
    private long integrationStart;
    private long seen;
    private int flags;
    private long begun;
    private long published;

    public Correlator(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        log = context.log();
        in = context.inBuffer("in_buf");
        out = context.outBuffer("out_buf");
        final PacketGeometry packets = PacketGeometry.read(config);
        final StreamTable streams = StreamTable.read(config, packets);
        final int samplesPerFrame = config.getInt("samples_per_frame");
        final long samplesPerIntegration = config.getLong("samples_per_integration");
        final String problem = CorrelatorGeometry.problem(streams.numFreqs(), streams.numInputs(),
            streams.paddedInputs(), samplesPerFrame, samplesPerIntegration);
        if (problem != null)
        {
            config.error("samples_per_integration", problem);
        }
        geometry = problem != null ? new CorrelatorGeometry(1, 1, 128, 1, 1) :
            new CorrelatorGeometry(streams.numFreqs(), streams.numInputs(), streams.paddedInputs(), samplesPerFrame,
                samplesPerIntegration);
        freqIds = streams.freqIds();
        lost = new long[geometry.numFreqs()];
        cpus = config.getIntArray("cpu_affinity", new int[0]);
        if (in != null && problem == null)
        {
            context.requireFrameSize(in.buffer(), geometry.frameBytes(), "frames of " + geometry.numFreqs() +
                " freqs x " + samplesPerFrame + " samples x " + geometry.paddedInputs() + " inputs");
            context.requireMetadata(in, FrameMetadataDescriptor.KIND);
        }
        if (out != null && problem == null)
        {
            context.requireMinFrameSize(out.buffer(), VisibilityFrameDescriptor.length(geometry.numFreqs(),
                geometry.numInputs()), "visibility frames of " + geometry.numFreqs() + " freqs x " +
                geometry.numProducts() + " products");
        }
        final CorrelatorBackends backends = CorrelatorBackends.discover();
        final String name = config.getString("backend", CorrelatorBackends.AUTO);
        final CorrelatorBackendProvider provider;
        if (CorrelatorBackends.AUTO.equals(name))
        {
            final CorrelatorBackends.Choice choice = backends.auto();
            provider = choice.provider();
            backendChoice = choice.reason();
        }
        else
        {
            provider = backends.find(name);
            backendChoice = name;
            if (provider == null && !CorrelatorBackends.CUDA.equals(name))
            {
                config.error("backend", "unknown backend '" + name + "'; known: auto, " +
                    String.join(", ", backends.names()));
            }
        }
        if (provider == null)
        {
            configured = cpus -> {
                throw new IllegalStateException("backend: cuda is not in this build (no GPU backend is installed)" +
                    "; use backend: cpu or auto");
            };
        }
        else
        {
            configured = provider.configure(config, geometry);
        }
        integrations = context.metrics().counter("kotekan_corr_integrations_total", path());
        lostSamples = context.metrics().counter("kotekan_corr_lost_samples_total", path());
        kernelTime = context.metrics().latencyHistogram("kotekan_corr_kernel_seconds", path());
        metrics = context.metrics();
        latest = new LatestVisibilities(path(), geometry.numInputs(), freqIds);
        context.addEndpoint("GET", "/visibilities/latest", "the newest integration of one frequency " +
            "(?freq_id=N): re and im of every product", request -> RestResponse.ok(
                latest.latest(request.query().get("freq_id"))));
    }

    @Override
    public void onStart() throws Exception
    {
        backend = configured.create(cpus);
        backend.bindMetrics(metrics, path());
        deviceName = backend.device().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        log.info("backend " + backend.name() + " (" + backend.device() + "; " + backendChoice + "), " +
            geometry.numInputs() + " inputs x " + geometry.numFreqs() + " freqs, " +
            geometry.samplesPerIntegration() + " samples per integration");
        final List<MemorySegment> inputs = new ArrayList<>();
        for (int i = 0; i < in.buffer().numFrames(); i++)
        {
            inputs.add(in.frame(i));
        }
        final List<MemorySegment> outputs = new ArrayList<>();
        for (int i = 0; i < out.buffer().numFrames(); i++)
        {
            outputs.add(out.frame(i));
        }
        backend.register(inputs, outputs);
    }

    @Override
    public int doWork()
    {
        backend.poll();
        int work = retire();
        while (true)
        {
            if (slot < 0)
            {
                if (acquired - released >= backend.maxFramesInFlight())
                {
                    return work;
                }
                slot = in.tryAcquire();
                if (slot < 0)
                {
                    return work;
                }
                acquired++;
                requireShape(in.metadata(slot));
                frameSeq = FrameMetadataDescriptor.firstSeq(in.metadata(slot));
                position = 0;
                work++;
            }
            if (!advance())
            {
                return work;
            }
            work += retire();
        }
    }

    /**
     * Feeds the current frame to the backend, one integration's range at a time.
     *
     * @return false when no visibility frame is free (the frame stays current).
     */
    private boolean advance()
    {
        final long spi = geometry.samplesPerIntegration();
        final int samplesPerFrame = geometry.samplesPerFrame();
        while (position < samplesPerFrame)
        {
            final long seq = frameSeq + position;
            final long start = Math.floorDiv(seq, spi) * spi;
            if (outSlot >= 0 && start != integrationStart)
            {
                endIntegration();
            }
            if (outSlot < 0 && !beginIntegration(start))
            {
                return false;
            }
            final int end = (int)Math.min(samplesPerFrame, start + spi - frameSeq);
            final MemorySegment metadata = in.metadata(slot);
            countLost(metadata, position, end);
            flags |= FrameMetadataDescriptor.flags(metadata);
            final long began = System.nanoTime();
            backend.accumulate(in.frame(slot), position, end - position, end == samplesPerFrame);
            kernelTime.recordNanos(System.nanoTime() - began);
            seen += end - position;
            position = end;
            if (start + spi == frameSeq + end)
            {
                endIntegration();
            }
        }
        slot = -1;
        return true;
    }

    /** The lost-sample count reads the presence map by the metadata's own shape: it must be this stage's. */
    private void requireShape(final MemorySegment metadata)
    {
        final int perRow = FrameMetadataDescriptor.samplesPerRow(metadata);
        if (FrameMetadataDescriptor.numTime(metadata) != geometry.samplesPerFrame() ||
            FrameMetadataDescriptor.numFreq(metadata) != geometry.numFreqs() ||
            FrameMetadataDescriptor.numInputs(metadata) != geometry.paddedInputs() || perRow < 1 ||
            FrameMetadataDescriptor.numRows(metadata) * perRow != geometry.samplesPerFrame())
        {
            throw new IllegalStateException("a sample frame's metadata says " + FrameMetadataDescriptor.numFreq(
                metadata) + " freqs x " + FrameMetadataDescriptor.numTime(metadata) + " samples x " +
                FrameMetadataDescriptor.numInputs(metadata) + " inputs, this correlator is configured for " +
                geometry.numFreqs() + " x " + geometry.samplesPerFrame() + " x " + geometry.paddedInputs());
        }
    }

    private boolean beginIntegration(final long start)
    {
        outSlot = out.tryClaim();
        if (outSlot < 0)
        {
            return false;
        }
        final MemorySegment frame = out.frame(outSlot);
        VisibilityFrameDescriptor.initialise(frame, geometry.numFreqs(), geometry.numInputs(),
            geometry.samplesPerIntegration());
        VisibilityFrameDescriptor.firstSample(frame, start);
        VisibilityFrameDescriptor.integration(frame, begun++);
        VisibilityFrameDescriptor.backend(frame, backend.name(), deviceName);
        final MemorySegment metadata = in.metadata(slot);
        for (int f = 0; f < geometry.numFreqs(); f++)
        {
            VisibilityFrameDescriptor.freqId(frame, f, FrameMetadataDescriptor.freqId(metadata, f));
        }
        integrationStart = start;
        seen = 0;
        flags = 0;
        java.util.Arrays.fill(lost, 0);
        backend.beginIntegration(VisibilityFrameDescriptor.visibilities(frame));
        return true;
    }

    /** Closes the open integration; samples it never saw count as lost. */
    private void endIntegration()
    {
        final MemorySegment frame = out.frame(outSlot);
        final long unseen = geometry.samplesPerIntegration() - seen;
        long total = 0;
        for (int f = 0; f < lost.length; f++)
        {
            VisibilityFrameDescriptor.lostSamples(frame, f, lost[f] + unseen);
            total += lost[f] + unseen;
        }
        VisibilityFrameDescriptor.flags(frame, flags);
        lostSamples.getAndAddRelease(total);
        backend.endIntegration();
        outSlot = -1;
    }

    /** Adds the samples of [from, to) of the frame that any input block lost, per frequency. */
    private void countLost(final MemorySegment metadata, final int from, final int to)
    {
        for (int f = 0; f < lost.length; f++)
        {
            lost[f] += FrameMetadataDescriptor.lostSamples(metadata, f, from, to);
        }
    }

    /** Releases frames the backend is done with and publishes finished integrations, oldest first. */
    private int retire()
    {
        int work = 0;
        final long retired = backend.framesRetired();
        while (released < retired)
        {
            in.release();
            released++;
            work++;
        }
        final long completed = backend.integrationsCompleted();
        while (published < completed)
        {
            latest.update(out.frame(out.slotOf(out.publishedSequence())));
            out.publish();
            published++;
            integrations.incrementRelease();
            work++;
        }
        return work;
    }

    /**
     * Input is at its end: finish only once the current frame is fed (it may wait for a free visibility frame) and the
     * backend has retired every frame and completed every closed integration.
     */
    @Override
    public boolean onDrain()
    {
        final long ended = begun - (outSlot >= 0 ? 1 : 0);
        return backend == null || slot < 0 && released == acquired && published == ended;
    }

    @Override
    public void onClose()
    {
        if (backend == null)
        {
            return;
        }
        if (outSlot >= 0 && seen > 0)
        {
            endIntegration();  // the run's last integration, its missing samples counted as lost
        }
        backend.close();
        retire();
        log.info(integrations.get() + " integrations, " + lostSamples.get() + " lost samples (all freqs)");
    }

    /** The backend in use and why ({@code auto} says what it found). */
    @Override
    public String statusLine()
    {
        return (backend == null ? backendChoice : "backend " + backend.name() + " (" + backend.device() + "; " +
            backendChoice + ")") + "; " + integrations.get() + " integrations, " + lostSamples.get() +
            " lost samples" + (backend == null || backend.statusDetail().isEmpty() ? "" : "; " + backend.statusDetail());
    }
}
