package org.kotekanj.baseband.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kotekanj.baseband.waterfall.Waterfall;
import org.kotekanj.baseband.waterfall.WaterfallEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kotekan-j waterfall EVENT_DIR -o waterfall.png}: the event's power over (time, frequency), raw and de-dispersed. */
@Command(name = "waterfall", mixinStandardHelpOptions = true,
    description = "Draw a baseband event's power over time and frequency, raw and de-dispersed at its DM, as a PNG.")
public final class WaterfallCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "EVENT_DIR", description = "an event's directory of baseband_*.h5 files")
    Path eventDir;

    @Option(names = {"-o", "--output"}, paramLabel = "PNG", defaultValue = "waterfall.png",
        description = "output image (default ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--columns", paramLabel = "N", defaultValue = "512", description = "time bins (default ${DEFAULT-VALUE})")
    int columns;

    @Override
    public Integer call() throws Exception
    {
        final Waterfall.Result result;
        try
        {
            result = Waterfall.render(eventDir, columns);
        }
        catch (final java.io.IOException e)
        {
            System.err.println("waterfall: " + e.getMessage());
            return 2;
        }
        Files.write(output, WaterfallEndpoint.png(result));
        System.out.println(output + ": " + result.image().getWidth() + " x " + result.image().getHeight() + " px, " +
            result.rawPeakColumn().length + " frequencies");
        return 0;
    }
}
