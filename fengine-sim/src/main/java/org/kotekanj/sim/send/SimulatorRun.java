package org.kotekanj.sim.send;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kotekanj.nativeio.MmsgBatch;
import org.kotekanj.nativeio.UdpSocket;
import org.kotekanj.sim.SimulatorConfig;
import org.kotekanj.sim.packets.GroundTruth;
import org.kotekanj.sim.packets.PacketGenerator;

/**
 * One simulator run, driven by repeated {@link #doWork()} calls (the stage's agent loop or the command's loop) until
 * {@link #isFinished()}: either sent over UDP ({@link NetworkSender}) or written to a pcap file
 * ({@link PcapRecorder}). Opening it opens sockets and files; {@link #close()} writes the ground truth's end lines
 * and closes everything.
 */
public interface SimulatorRun extends AutoCloseable
{
    /** Opens the sockets or the pcap file and the ground truth, and logs the start line. */
    static SimulatorRun open(final SimulatorConfig config, final boolean keepEventsInMemory) throws IOException
    {
        final GroundTruth truth = config.groundTruth() != null ?
            GroundTruth.toFile(config.groundTruth(), keepEventsInMemory) :
            keepEventsInMemory ? GroundTruth.inMemory() : GroundTruth.none();
        try
        {
            final PacketGenerator generator = new PacketGenerator(config.table(), config.signal(), config.settings(),
                config.steps(), truth);
            final Map<String, Object> run = new LinkedHashMap<>();
            run.put("signal", config.signalType());
            run.put("rate", config.pcap() != null ? "pcap" : config.rate().text());
            run.put("steps", config.steps() == Long.MAX_VALUE ? -1 : config.steps());
            run.put("output", config.pcap() != null ? "pcap " + config.pcap() :
                config.transport().name().toLowerCase(java.util.Locale.ROOT));
            final List<Map<String, Object>> perStream = new ArrayList<>();
            config.destinations().forEach(d -> perStream.add(Map.of("destination", UdpSocket.format(d))));
            generator.logStart(run, perStream);
            final MmsgBatch batch = new MmsgBatch(config.pcap() != null ? MmsgBatch.MAX_MESSAGES :
                Math.max(config.batch(), generator.maxDatagramsPerStep()), generator.slotBytes(), 0);
            try
            {
                return config.pcap() != null ? PcapRecorder.open(config, generator, truth, batch) :
                    NetworkSender.open(config, generator, truth, batch);
            }
            catch (final IOException | RuntimeException e)
            {
                batch.close();
                throw e;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            truth.close();
            throw e;
        }
    }

    /** Sends (or writes) what is due; returns how many datagrams, 0 if nothing was due. */
    int doWork() throws IOException;

    /** True once every step has been sent (count reached, duration over, or stopped) and nothing is held. */
    boolean isFinished();

    /** Ends the run soon, from any thread: the next {@link #doWork()} stops the generator and sends what is held. */
    void requestStop();

    /**
     * True once the run has sent (or written) the packet holding sample {@code seq} on some stream, or stepped past it
     * ({@link PacketGenerator#hasPassed}); read from the run's own thread.
     */
    boolean hasSent(long seq);

    /** The ground truth being written (its in-memory events, if kept). */
    GroundTruth groundTruth();

    /** Datagrams sent so far (for status lines and counters; read from the run's own thread). */
    long datagrams();

    /** UDP payload bytes sent so far. */
    long bytes();

    SendReport report();

    @Override
    void close() throws IOException;
}
