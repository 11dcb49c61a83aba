package org.kotekanj.correlator.cuda;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;
import org.kotekanj.correlator.CorrelatorBackendProvider;
import org.kotekanj.correlator.CorrelatorGeometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaDriverProbeTest
{
    private static final CorrelatorGeometry GEOMETRY = new CorrelatorGeometry(4, 256, 256, 1024, 1024);

    private static StageConfig config(final String yaml, final ConfigErrors errors)
    {
        return new StageConfig(YamlConfigLoader.parse(yaml, "t.yaml", errors), errors);
    }

    @Test
    void shouldAnswerTheSameOneLineSentenceEveryTimeWithoutThrowing()
    {
        final String first = CudaDriverProbe.unavailableReason(0);
        assertEquals(first, CudaDriverProbe.unavailableReason(0));
        if (first != null)
        {
            assertFalse(first.contains("\n"), first);
            assertTrue(first.length() < 200, first);
        }
    }

    @Test
    void shouldSayThereIsNoDriverWhereLibcudaIsMissing()
    {
        assumeTrue(CudaDriverProbe.driverProblem() != null, "a CUDA driver is installed here");
        final String reason = CudaDriverProbe.unavailableReason(0);
        assertTrue(reason.startsWith("no CUDA driver on this machine (libcuda"), reason);
    }

    @Test
    void shouldBeFoundByTheServiceLoaderAsCuda()
    {
        final List<String> names = ServiceLoader.load(CorrelatorBackendProvider.class).stream()
            .map(provider -> provider.get().name()).toList();
        assertTrue(names.contains("cuda"), names.toString());
    }

    @Test
    void shouldConfigureWithoutADriverAndRefuseToCreateWithTheProbeSentence()
    {
        assumeTrue(CudaDriverProbe.driverProblem() != null, "a CUDA driver is installed here");
        final ConfigErrors errors = new ConfigErrors();
        final CudaBackendProvider provider = new CudaBackendProvider();
        final CorrelatorBackendProvider.Configured configured =
            provider.configure(config("frames_in_flight: 2\n", errors), GEOMETRY);
        assertTrue(errors.isEmpty(), errors.list().toString());
        assertEquals(CudaDriverProbe.unavailableReason(0), provider.unavailableReason());
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> configured.create(new int[0]));
        assertEquals(CudaDriverProbe.unavailableReason(0), refused.getMessage());
    }

    @Test
    void shouldRecordBadSettingsAsConfigErrors()
    {
        final ConfigErrors errors = new ConfigErrors();
        final CudaSettings settings = CudaSettings.read(config(
            "frames_in_flight: 0\nflush_stages: 200000\ncuda_device: -1\ncommands: [copy_in, correlate, unpack]\n",
            errors));
        final String all = errors.list().toString();
        for (final String expected : List.of("frames_in_flight must be 1..8", "flush_stages must be 1..131072",
            "cuda_device must be 0 or more", "'correlate' must come after 'unpack'", "'copy_out' is missing"))
        {
            assertTrue(all.contains(expected), expected + " in " + all);
        }
        assertEquals(CudaCommandList.DEFAULT_NAMES, settings.commands().names());
    }

    @Test
    void shouldRejectGeometriesTheKernelsCannotLaunch()
    {
        final ConfigErrors errors = new ConfigErrors();
        new CudaBackendProvider().configure(config("{}\n", errors),
            new CorrelatorGeometry(1, 16, 128, 16 * 65536, 16 * 65536));
        assertTrue(errors.list().toString().contains("does not fit the unpack grid"), errors.list().toString());
    }
}
