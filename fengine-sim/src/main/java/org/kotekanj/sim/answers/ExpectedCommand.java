package org.kotekanj.sim.answers;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigError;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.correlator.VisibilityFileWriter;
import org.kotekanj.sim.SimulatedNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kotekan-j expected vis|baseband CONFIG ...}: writes the answers a correct receiver and correlator must
 * produce for a simulator config, in the file formats they write, so the two can be compared with any HDF5 tool
 * (or with {@code kotekan-j verify}, which recomputes them).
 */
@Command(name = "expected", mixinStandardHelpOptions = true,
    description = "Write the expected visibilities or baseband of a simulator config.",
    subcommands = {ExpectedCommand.Visibilities.class, ExpectedCommand.Baseband.class})
public final class ExpectedCommand
{
    /** Exit status: answers written. */
    public static final int EXIT_OK = 0;
    /** Exit status: the config or a file could not be used. */
    public static final int EXIT_UNUSABLE = 2;

    /** {@code expected vis}: a visibility file of consecutive integrations. */
    @Command(name = "vis", mixinStandardHelpOptions = true,
        description = "Write vis_{first_fpga}.h5 with the expected visibilities (vis_tolerance where statistical).")
    public static final class Visibilities implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        SimConfigOptions options;

        @Option(names = "--start", required = true, paramLabel = "SEQ", description = "first sample of the first " +
            "integration")
        long start;

        @Option(names = "--integrations", paramLabel = "N", defaultValue = "1", description = "integrations in the " +
            "file (default ${DEFAULT-VALUE})")
        int integrations;

        @Option(names = "--samples-per-integration", paramLabel = "S", description = "default: the config's " +
            "samples_per_integration, else samples_per_frame")
        Long samplesPerIntegration;

        @Option(names = "--freq-id", paramLabel = "F", split = ",", description = "frequencies (default: the node's)")
        int[] freqIds;

        @Option(names = "--inputs", paramLabel = "N", description = "inputs to correlate (default: the node's)")
        Integer inputs;

        @Option(names = "--brute-force", description = "correlate every sample, even where a closed form or a " +
            "statistical mean exists")
        boolean bruteForce;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".", description = "output directory")
        Path output;

        @Override
        public Integer call()
        {
            final PrintWriter err = spec.commandLine().getErr();
            final ConfigErrors errors = new ConfigErrors();
            final StageConfig config = options.load(errors);
            final SimulatedNode node = SimulatedNode.read(config);
            final long samples = samplesPerIntegration != null ? samplesPerIntegration :
                config.getLong("samples_per_integration", config.getLong("samples_per_frame", 0));
            if (samples < 1 || integrations < 1)
            {
                errors.add(new ConfigError(options.config.toString(), 0, config.path(), "need at least one " +
                    "integration of at least one sample: set --samples-per-integration or samples_per_frame"));
            }
            if (!errors.isEmpty())
            {
                return unusable(errors, err);
            }
            final int numInputs = inputs != null ? inputs : node.numInputs();
            final VisibilityCalculator calculator = new VisibilityCalculator(node.signal(), numInputs, bruteForce);
            final VisibilityChunk chunk = ExpectedVisibilityFile.chunk(calculator, node.geometry(),
                freqIds != null ? freqIds : node.streams().freqIds(), start, integrations, samples);
            try
            {
                final Path file = VisibilityFileWriter.write(output, chunk);
                spec.commandLine().getOut().println(file + ": " + chunk.numTimes() + " integrations x " +
                    chunk.numFreqs() + " frequencies x " + chunk.numProducts() + " products" +
                    (chunk.tolerance() == null ? ", exact" : ", statistical (see vis_tolerance)"));
                return EXIT_OK;
            }
            catch (final IOException e)
            {
                err.println(e.getMessage());
                return EXIT_UNUSABLE;
            }
        }
    }

    /** {@code expected baseband}: the bytes of a baseband window of one frequency. */
    @Command(name = "baseband", mixinStandardHelpOptions = true,
        description = "Write baseband_expected_{freq_id}_{start}.h5: uint8 [ntime][ninput] of one frequency.")
    public static final class Baseband implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        SimConfigOptions options;

        @Option(names = "--freq-id", required = true, paramLabel = "F")
        int freqId;

        @Option(names = "--start", required = true, paramLabel = "SEQ", description = "first sample")
        long start;

        @Option(names = "--samples", required = true, paramLabel = "N", description = "time samples")
        int samples;

        @Option(names = "--inputs", paramLabel = "N", description = "inputs (default: the node's)")
        Integer inputs;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "default: " +
            "baseband_expected_{freq_id}_{start}.h5 here")
        Path output;

        @Override
        public Integer call()
        {
            final ConfigErrors errors = new ConfigErrors();
            final SimulatedNode node = SimulatedNode.read(options.load(errors));
            if (!errors.isEmpty())
            {
                return unusable(errors, spec.commandLine().getErr());
            }
            final BasebandWindow window = BasebandWindow.expected(node.signal(), freqId, start, samples,
                inputs != null ? inputs : node.numInputs());
            final Path file = output != null ? output : Path.of(BasebandWindowFile.fileName(freqId, start));
            try
            {
                BasebandWindowFile.write(file, window, node.geometry());
                spec.commandLine().getOut().println(file + ": " + window.numTimes() + " samples x " +
                    window.numInputs() + " inputs");
                return EXIT_OK;
            }
            catch (final IOException e)
            {
                spec.commandLine().getErr().println(e.getMessage());
                return EXIT_UNUSABLE;
            }
        }
    }

    static int unusable(final ConfigErrors errors, final PrintWriter err)
    {
        for (final ConfigError error : errors.list())
        {
            err.println(error);
        }
        return EXIT_UNUSABLE;
    }
}
