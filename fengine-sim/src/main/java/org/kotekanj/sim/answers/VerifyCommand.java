package org.kotekanj.sim.answers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.correlator.VisibilityChunk;
import org.kotekanj.correlator.VisibilityFileReader;
import org.kotekanj.sim.SimulatedNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kotekan-j verify CONFIG FILE}: checks a visibility file or a baseband dump against what the simulator config
 * says it must hold, and prints the first differences (frequency, product or input, time). Exit 0 if it agrees, 1 if
 * not, 2 if the config or file cannot be used.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check a visibility file or baseband dump against a simulator config; exit 0 agree, 1 differ, " +
        "2 unusable.")
public final class VerifyCommand implements Callable<Integer>
{
    public static final int EXIT_AGREE = 0;
    public static final int EXIT_DIFFER = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    SimConfigOptions options;

    @Parameters(index = "1", paramLabel = "FILE", description = "vis_*.h5 or a baseband dump")
    Path file;

    @Option(names = "--max-differences", paramLabel = "N", defaultValue = "20",
        description = "differences to print (default ${DEFAULT-VALUE})")
    int maxDifferences;

    @Option(names = "--brute-force", description = "expect the exact sums of the realised samples, also for " +
        "statistical signals")
    boolean bruteForce;

    @Override
    public Integer call()
    {
        final ConfigErrors errors = new ConfigErrors();
        final SimulatedNode node = SimulatedNode.read(options.load(errors));
        if (!errors.isEmpty())
        {
            return ExpectedCommand.unusable(errors, spec.commandLine().getErr());
        }
        try
        {
            final Verification result = isVisibilityFile(file) ? verifyVisibilities(node) :
                BasebandVerifier.verify(BasebandWindowFile.read(file), node.signal(), maxDifferences);
            result.print(spec.commandLine().getOut());
            return result.passed() ? EXIT_AGREE : EXIT_DIFFER;
        }
        catch (final IOException e)
        {
            spec.commandLine().getErr().println(e.getMessage());
            return ExpectedCommand.EXIT_UNUSABLE;
        }
    }

    private Verification verifyVisibilities(final SimulatedNode node) throws IOException
    {
        final VisibilityChunk chunk = VisibilityFileReader.read(file);
        final VisibilityCalculator calculator = new VisibilityCalculator(node.signal(), chunk.numInputs(), bruteForce);
        return VisibilityVerifier.verify(chunk, calculator, node.geometry(), maxDifferences);
    }

    private static boolean isVisibilityFile(final Path file) throws IOException
    {
        try (HdfFile hdf = new HdfFile(file))
        {
            return hdf.getChildren().containsKey("vis");
        }
        catch (final HdfException e)
        {
            throw new IOException("cannot open " + file + " as HDF5: " + e.getMessage(), e);
        }
    }
}
