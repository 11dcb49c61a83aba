package org.kotekanj.correlator.cuda;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.TestExecutionResult;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * The CUDA tests on a machine without Maven (a GPU machine gets the compiled classes carried to it): runs every test
 * of this package through the JUnit launcher, one line per test into RESULTS_FILE, exit 1 if any failed and 4 if the
 * GPU tests were skipped (no device: the check would prove nothing). {@code GpuCheck RESULTS_FILE}.
 */
public final class GpuCheck
{
    private GpuCheck()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final StringBuilder lines = new StringBuilder();
        final int[] gpuTestsRun = new int[1];
        final TestExecutionListener perTest = new TestExecutionListener()
        {
            @Override
            public void executionSkipped(final TestIdentifier test, final String reason)
            {
                lines.append("SKIPPED ").append(test.getDisplayName()).append(": ").append(reason).append('\n');
            }

            @Override
            public void executionFinished(final TestIdentifier test, final TestExecutionResult result)
            {
                if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.ABORTED)
                {
                    lines.append("ABORTED ").append(test.getDisplayName())
                        .append(result.getThrowable().map(t -> ": " + t.getMessage()).orElse("")).append('\n');
                }
                if (test.isTest())
                {
                    lines.append(result.getStatus()).append(' ').append(test.getUniqueId()
                        .replaceAll(".*class:org\\.kotekanj\\.correlator\\.cuda\\.", "").replaceAll("\\]/\\[method:", ".").replaceAll("\\]$", ""))
                        .append(result.getThrowable().map(t -> ": " + t).orElse("")).append('\n');
                    if (test.getUniqueId().contains("CudaCorrelatorBackendTest") &&
                        result.getStatus() != TestExecutionResult.Status.ABORTED)
                    {
                        gpuTestsRun[0]++;
                    }
                }
            }
        };
        final SummaryGeneratingListener summary = new SummaryGeneratingListener();
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage("org.kotekanj.correlator.cuda")).build();
        final Launcher launcher = LauncherFactory.create();
        launcher.execute(request, perTest, summary);
        final TestExecutionSummary result = summary.getSummary();
        final StringWriter failures = new StringWriter();
        result.printFailuresTo(new PrintWriter(failures), 30);
        lines.append(result.getTestsSucceededCount()).append(" passed, ").append(result.getTotalFailureCount())
            .append(" failed, ").append(result.getTestsSkippedCount() + result.getTestsAbortedCount())
            .append(" skipped\n").append(failures);
        System.out.print(lines);
        if (args.length > 0)
        {
            Files.writeString(Path.of(args[0]), lines);
        }
        System.exit(result.getTotalFailureCount() > 0 ? 1 : gpuTestsRun[0] == 0 ? 4 : 0);
    }
}
