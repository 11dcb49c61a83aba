package org.kotekanj.stages.placement;

import org.kotekanj.buffer.FrameProducer;
import org.kotekanj.stages.receive.ReceiverContext;

/**
 * One receive core's placement, wired once from a concluded {@link ReceiverContext}: the copy queue, the
 * {@link FrameCompleter}, the {@link FrameWindow} over its output buffer and the {@link PacketPlacer} that uses them,
 * with the {@link SharedTimeline} of every receive core filling that buffer.
 * The receive stage, the placement tests and the placement benchmarks all build it the same way.
 */
public final class Placement implements AutoCloseable
{
    private final CopyQueue copies;
    private final FrameCompleter completer;
    private final FrameWindow window;
    private final PacketPlacer placer;

    public Placement(final ReceiverContext context, final FrameProducer output, final ReceiveCounters counters,
        final ReceiveEvents events, final int copyQueueCapacity)
    {
        copies = new CopyQueue(copyQueueCapacity, context.copyEngine());
        final SharedTimeline timeline = SharedTimeline.of(output.buffer());
        final StreamTracker tracker = new StreamTracker(context, counters, timeline);
        completer = new FrameCompleter(context, copies, counters, output.buffer().numFrames(), tracker);
        window = new FrameWindow(output, completer, context.windowFrames(), timeline);
        placer = new PacketPlacer(context, tracker, window, completer, copies, counters, events);
    }

    /** Places one datagram (copies are queued: {@link #flush} at the end of the batch). */
    public void accept(final long address, final int length)
    {
        placer.accept(address, length);
    }

    /**
     * Places one datagram from a source that can wait: false (nothing counted) if it needs a frame and none is free;
     * offer it again later. See {@link PacketPlacer#offer}.
     */
    public boolean offer(final long address, final int length)
    {
        return placer.offer(address, length);
    }

    /** Executes the batch's queued copies. */
    public void flush()
    {
        copies.flush();
    }

    /** Publishes every open frame, counting every missing cell as lost. */
    public void publishAll()
    {
        window.publishAll();
    }

    /** Publishes every open frame; cells after each stream's last packet are flagged but not counted as lost. */
    public void publishAllAtEnd()
    {
        window.publishAllAtEnd(placer.tracker());
    }

    public CopyQueue copies()
    {
        return copies;
    }

    public FrameWindow window()
    {
        return window;
    }

    public StreamTracker tracker()
    {
        return placer.tracker();
    }

    @Override
    public void close()
    {
        completer.close();
    }
}
