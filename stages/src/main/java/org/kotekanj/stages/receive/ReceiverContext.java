package org.kotekanj.stages.receive;

import java.util.Arrays;

import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.stages.placement.CopyEngine;
import org.kotekanj.stages.placement.JavaCopyEngine;
import org.kotekanj.stages.placement.PlacementPlan;

/**
 * Everything a receive stage is configured with, in one place (Aeron's {@code Context}): set what differs from the
 * defaults, then {@link #conclude()} fills in the defaults that depend on the frame length and validates; a concluded
 * context does not change. {@link #read} builds one from a stage's config, reporting every bad key as a config error.
 *
 * <pre>
 *   samples_per_frame: 49152          # frames hold T samples, aligned to multiples of T
 *   window_frames: 2                  # open frames: late packets within them are placed, older ones are too old
 *   streams_owned: [0, 1]             # several receive stages filling one buffer (default: every stream)
 *   start_tolerance_samples: T        # a stream may start at most this far into a frame
 *   reset_threshold_samples: 8 T      # a stream this far behind itself is a reset, once confirmed
 *   max_seq_jump_samples: 1000 T      # a stream this far ahead of itself is a jump, once confirmed
 *   jump_confirmations: 8             # consecutive packets that confirm a reset or a jump
 *   copy: streaming                   # streaming (native, non-temporal) | java
 *   idle_publish_ms: 500              # open frames are published after this long without traffic
 *   start_delay_seconds: 0            # bind, then wait before polling (drain-rate benchmarks)
 *   finish_after_idle_seconds: 0      # > 0: finish once traffic stopped for this long
 * </pre>
 */
public final class ReceiverContext
{
    private PlacementPlan plan;
    private int[] ownedStreams;
    private int windowFrames = 2;
    private long startToleranceSamples = -1;
    private long resetThresholdSamples = -1;
    private long maxSeqJumpSamples = -1;
    private int jumpConfirmations = 8;
    private CopyEngine copyEngine;
    private long idlePublishNanos = 500_000_000L;
    private long startDelayNanos;
    private long finishAfterIdleNanos;
    private ReceiveSourceConfig source;
    private boolean concluded;

    /**
     * Reads a stage's receive keys (geometry, node, placement, source); every problem is reported through
     * {@code config.error} (the values are clamped so that construction can go on and report the rest).
     *
     * @param bufferFrames frames of the output buffer (the window must be smaller).
     */
    public static ReceiverContext read(final StageConfig config, final int bufferFrames)
    {
        final PacketGeometry geometry = PacketGeometry.read(config);
        final StreamTable table = StreamTable.read(config, geometry);
        final int samplesPerFrame = config.getInt("samples_per_frame");
        final ReceiverContext context = new ReceiverContext();
        try
        {
            context.plan(PlacementPlan.build(table, samplesPerFrame));
        }
        catch (final IllegalArgumentException e)
        {
            config.error("samples_per_frame", e.getMessage());
            throw e;
        }
        final int streams = context.plan.numStreams();
        final int window = config.getInt("window_frames", 2);
        if (window < 1 || window >= bufferFrames)
        {
            config.error("window_frames", "must be at least 1 and less than num_frames of the output buffer (" +
                bufferFrames + "), found " + window);
        }
        final int[] owned = Arrays.stream(config.getIntArray("streams_owned", allStreams(streams))).filter(stream ->
        {
            final boolean known = stream >= 0 && stream < streams;
            if (!known)
            {
                config.error("streams_owned", "stream index " + stream + " is not one of this node's " + streams +
                    " streams");
            }
            return known;
        }).toArray();
        final String copy = config.getString("copy", "streaming");
        if (!"streaming".equals(copy) && !"java".equals(copy))
        {
            config.error("copy", "expected streaming or java, found \"" + copy + "\"");
        }
        final int confirmations = config.getInt("jump_confirmations", 8);
        if (confirmations < 1)
        {
            config.error("jump_confirmations", "must be at least 1, found " + confirmations);
        }
        context.windowFrames(Math.max(1, window))
            .ownedStreams(owned)
            .startToleranceSamples(config.getLong("start_tolerance_samples", samplesPerFrame))
            .resetThresholdSamples(config.getLong("reset_threshold_samples", 8L * samplesPerFrame))
            .maxSeqJumpSamples(config.getLong("max_seq_jump_samples", 1000L * samplesPerFrame))
            .jumpConfirmations(Math.max(1, confirmations))
            .copyEngine("java".equals(copy) ? new JavaCopyEngine() : CopyEngine.best())
            .idlePublishNanos((long)(config.getDouble("idle_publish_ms", 500) * 1e6))
            .startDelayNanos((long)(config.getDouble("start_delay_seconds", 0) * 1e9))
            .finishAfterIdleNanos((long)(config.getDouble("finish_after_idle_seconds", 0) * 1e9))
            .source(ReceiveSourceConfig.read(config, geometry, streams));
        return context.conclude();
    }

    /** Fills in the defaults that depend on the plan and validates; returns this, now immutable. */
    public ReceiverContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("receiver context already concluded");
        }
        if (plan == null)
        {
            throw new IllegalArgumentException("a receiver needs a placement plan");
        }
        final long samplesPerFrame = plan.layout().samplesPerFrame();
        if (ownedStreams == null)
        {
            ownedStreams = allStreams(plan.numStreams());
        }
        for (final int stream : ownedStreams)
        {
            if (stream < 0 || stream >= plan.numStreams())
            {
                throw new IllegalArgumentException("owned stream " + stream + " is not one of " + plan.numStreams());
            }
        }
        startToleranceSamples = startToleranceSamples < 0 ? samplesPerFrame : startToleranceSamples;
        resetThresholdSamples = resetThresholdSamples < 0 ? 8 * samplesPerFrame : resetThresholdSamples;
        maxSeqJumpSamples = maxSeqJumpSamples < 0 ? 1000 * samplesPerFrame : maxSeqJumpSamples;
        if (windowFrames < 1)
        {
            throw new IllegalArgumentException("window_frames must be at least 1, found " + windowFrames);
        }
        if (jumpConfirmations < 1)
        {
            throw new IllegalArgumentException("jump_confirmations must be at least 1, found " + jumpConfirmations);
        }
        if (copyEngine == null)
        {
            copyEngine = CopyEngine.best();
        }
        concluded = true;
        return this;
    }

    private void requireOpen()
    {
        if (concluded)
        {
            throw new IllegalStateException("a concluded receiver context does not change");
        }
    }

    private void requireConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("conclude() the receiver context first");
        }
    }

    public ReceiverContext plan(final PlacementPlan plan)
    {
        requireOpen();
        this.plan = plan;
        return this;
    }

    public ReceiverContext ownedStreams(final int... streams)
    {
        requireOpen();
        this.ownedStreams = streams.clone();
        return this;
    }

    public ReceiverContext windowFrames(final int frames)
    {
        requireOpen();
        this.windowFrames = frames;
        return this;
    }

    public ReceiverContext startToleranceSamples(final long samples)
    {
        requireOpen();
        this.startToleranceSamples = samples;
        return this;
    }

    public ReceiverContext resetThresholdSamples(final long samples)
    {
        requireOpen();
        this.resetThresholdSamples = samples;
        return this;
    }

    public ReceiverContext maxSeqJumpSamples(final long samples)
    {
        requireOpen();
        this.maxSeqJumpSamples = samples;
        return this;
    }

    public ReceiverContext jumpConfirmations(final int packets)
    {
        requireOpen();
        this.jumpConfirmations = packets;
        return this;
    }

    public ReceiverContext copyEngine(final CopyEngine engine)
    {
        requireOpen();
        this.copyEngine = engine;
        return this;
    }

    public ReceiverContext idlePublishNanos(final long nanos)
    {
        requireOpen();
        this.idlePublishNanos = nanos;
        return this;
    }

    public ReceiverContext startDelayNanos(final long nanos)
    {
        requireOpen();
        this.startDelayNanos = nanos;
        return this;
    }

    public ReceiverContext finishAfterIdleNanos(final long nanos)
    {
        requireOpen();
        this.finishAfterIdleNanos = nanos;
        return this;
    }

    public ReceiverContext source(final ReceiveSourceConfig source)
    {
        requireOpen();
        this.source = source;
        return this;
    }

    public PlacementPlan plan()
    {
        requireConcluded();
        return plan;
    }

    public int[] ownedStreams()
    {
        requireConcluded();
        return ownedStreams.clone();
    }

    public int windowFrames()
    {
        requireConcluded();
        return windowFrames;
    }

    public long startToleranceSamples()
    {
        requireConcluded();
        return startToleranceSamples;
    }

    public long resetThresholdSamples()
    {
        requireConcluded();
        return resetThresholdSamples;
    }

    public long maxSeqJumpSamples()
    {
        requireConcluded();
        return maxSeqJumpSamples;
    }

    public int jumpConfirmations()
    {
        requireConcluded();
        return jumpConfirmations;
    }

    public CopyEngine copyEngine()
    {
        requireConcluded();
        return copyEngine;
    }

    public long idlePublishNanos()
    {
        requireConcluded();
        return idlePublishNanos;
    }

    public long startDelayNanos()
    {
        requireConcluded();
        return startDelayNanos;
    }

    public long finishAfterIdleNanos()
    {
        requireConcluded();
        return finishAfterIdleNanos;
    }

    /** The source settings (null for a context built for placement alone, as in tests). */
    public ReceiveSourceConfig source()
    {
        requireConcluded();
        return source;
    }

    private static int[] allStreams(final int count)
    {
        final int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        return all;
    }
}
