package org.kotekanj.baseband;

import org.kotekanj.baseband.waterfall.WaterfallEndpoint;
import org.kotekanj.buffer.FrameReader;
import org.kotekanj.config.StageConfig;
import org.kotekanj.fengine.PacketGeometry;
import org.kotekanj.fengine.StreamTable;
import org.kotekanj.stage.IdleStrategyName;
import org.kotekanj.stage.Stage;
import org.kotekanj.stage.StageContext;

/**
 * Kotekan's {@code basebandReadout}: keeps the receive frames as the baseband ring (it reads {@code in_buf} without
 * gating the receiver) and dumps triggered, dispersion-shifted windows to HDF5 ({@code shared/specs/baseband.md}).
 *
 * <pre>
 * baseband:
 *   kotekan_stage: BasebandReadout
 *   in_buf: gpu_input              # the receive buffer, sized with ring_seconds
 *   archive_root: /data/baseband   # files go to {archive_root}/{file_path}/{source}_{event_id}/
 *   max_dump_seconds: 10           # longer windows are refused with 413
 *   staging_mib: 256               # copy-out area between the ring and the disk
 *   frame0_unix_nano: ...          # unix time of sample 0 (CONFIG); without it, from the packets (PACKET_RECV)
 *                                  # until a time service posts {"frame0_nano": N} to /gps_time (GPS)
 * </pre>
 *
 * Serves {@code POST /baseband}, {@code GET /baseband}, {@code GET /baseband/{event_id}},
 * {@code DELETE /baseband/{event_id}}, {@code POST /gps_time}, {@code GET /baseband/ring} and {@code GET /baseband/{event_id}/waterfall.png}.
 */
public final class BasebandReadout extends Stage
{
    private final FrameReader ring;
    private final Readout readout;

    public BasebandReadout(final StageContext context)
    {
        super(context);
        final StageConfig config = context.config();
        final PacketGeometry geometry = PacketGeometry.read(config);
        final StreamTable table = StreamTable.read(config, geometry);
        final int samplesPerFrame = config.getInt("samples_per_frame");
        final ReadoutSettings settings = ReadoutSettings.read(config);
        ring = context.readerBuffer("in_buf");
        final int[] freqIds = table.freqIds();
        final double[] freqMhz = new double[freqIds.length];
        for (int f = 0; f < freqIds.length; f++)
        {
            freqMhz[f] = geometry.freqMhz(freqIds[f]);
        }
        final NodeShape shape = new NodeShape(freqIds, freqMhz, table.numInputs(), table.paddedInputs(),
            samplesPerFrame, geometry.samplesPerPacket(), table.numBlocks(), geometry.samplePeriodNs(),
            NodeShape.blockStreams(table));
        if (ring != null)
        {
            context.requireFrameSize(ring.buffer(), shape.frameBytes(), freqIds.length + " freqs x " +
                samplesPerFrame + " samples x " + shape.paddedInputs() + " inputs");
            context.log().info(String.format("baseband ring %s: %.3f s in %d frames of %.1f MiB = %.2f GiB of RAM, " +
                "plus %d MiB staging", ring.buffer().name(), ring.numFrames() * shape.frameSeconds(),
                ring.numFrames(), shape.frameBytes() / 1048576.0,
                ring.numFrames() * (double)shape.frameBytes() / (1L << 30), settings.stagingBytes() >> 20));
        }
        if (ring == null || !config.errors().isEmpty())
        {
            readout = null;
            return;
        }
        readout = new Readout(ring, shape, settings, FreeSpace.fileSystem(), context.metrics(), context.log(),
            context.path());
        context.addEndpoint("POST", "/baseband", "trigger a baseband dump (shared/specs/baseband.md)",
            readout::trigger);
        context.addEndpoint("GET", "/baseband", "recent baseband events", readout::list);
        context.addEndpoint("GET", "/baseband/{event_id}", "one baseband event's status", readout::get);
        context.addEndpoint("GET", "/baseband/ring", "the samples the baseband ring holds", readout::ring);
        context.addEndpoint("GET", "/baseband/{event_id}/waterfall.png", "power over time and frequency of an event, " +
            "raw and de-dispersed", http -> WaterfallEndpoint.render(readout.find(http).directory(), 512));
        context.addEndpoint("DELETE", "/baseband/{event_id}", "cancel a baseband event", readout::cancel);
        context.addEndpoint("POST", "/gps_time", "set the time reference from a GPS-disciplined frame0 " +
            "({\"frame0_nano\": N})", readout::gpsTime);
    }

    @Override
    public void onStart()
    {
        readout.start();
    }

    @Override
    public int doWork()
    {
        return readout.doWork();
    }

    @Override
    public boolean isFinished()
    {
        return readout.ringEnded();
    }

    @Override
    public boolean onDrain()
    {
        readout.doWork();
        readout.exit();
        return true;
    }

    @Override
    public void onClose()
    {
        readout.close();
    }

    @Override
    public IdleStrategyName defaultIdleStrategy()
    {
        return IdleStrategyName.BACKOFF;
    }

    @Override
    public String statusLine()
    {
        return readout.statusLine();
    }
}
