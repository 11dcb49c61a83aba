package org.kotekanj.correlator.cuda;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaCommandListTest
{
    @Test
    void shouldAcceptTheFourCommandsInDependencyOrder()
    {
        final List<String> problems = new ArrayList<>();
        final CudaCommandList list = CudaCommandList.parse(CudaCommandList.DEFAULT_NAMES, problems);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(List.of(CudaCommand.COPY_IN, CudaCommand.UNPACK, CudaCommand.CORRELATE, CudaCommand.COPY_OUT),
            list.commands());
        assertEquals(List.of(CudaCommand.COPY_IN, CudaCommand.COPY_OUT),
            list.commands().stream().filter(CudaCommand::isCopy).toList());
    }

    @Test
    void shouldNameEveryProblemOfABadList()
    {
        final List<String> problems = new ArrayList<>();
        assertNull(CudaCommandList.parse(List.of("unpack", "copy_in", "beamform", "copy_in"), problems));
        assertEquals(List.of(
            "GPU command 'unpack' must come after 'copy_in', whose output it reads",
            "unknown GPU command 'beamform' (known: copy_in, unpack, correlate, copy_out)",
            "GPU command 'copy_in' is listed twice",
            "GPU command 'correlate' is missing: the correlator needs all of copy_in, unpack, correlate, copy_out",
            "GPU command 'copy_out' is missing: the correlator needs all of copy_in, unpack, correlate, copy_out"),
            problems);
    }

    @Test
    void shouldReportTimingsPerCommandInListOrder()
    {
        final CommandTimings timings = new CommandTimings(
            CudaCommandList.parse(CudaCommandList.DEFAULT_NAMES, new ArrayList<>()));
        timings.record(CudaCommand.CORRELATE, 3_000_000);
        timings.record(CudaCommand.CORRELATE, 1_000_000);
        timings.record(CudaCommand.COPY_IN, 5_000_000);
        assertEquals(List.of("copy_in", "unpack", "correlate", "copy_out"), List.copyOf(timings.status().keySet()));
        final var correlate = timings.status().get("correlate");
        assertEquals(2L, correlate.get("count"));
        assertEquals(0.002, (double)correlate.get("mean_seconds"), 1e-12);
        assertEquals(0.001, (double)correlate.get("last_seconds"), 1e-12);
        assertEquals(0.003, (double)correlate.get("max_seconds"), 1e-12);
        assertEquals("copy_in 5.000 ms, unpack -, correlate 2.000 ms, copy_out -", timings.statusLine());
    }
}
