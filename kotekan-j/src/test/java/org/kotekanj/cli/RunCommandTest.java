package org.kotekanj.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest
{
    @TempDir
    Path dir;

    private String write(final String yaml) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, yaml);
        return file.toString();
    }

    private Cli.Result run(final String file, final String... extra)
    {
        final String[] args = new String[5 + extra.length];
        args[0] = "run";
        args[1] = file;
        args[2] = "--no-rest";
        args[3] = "--counters-dir=" + dir.resolve("counters");
        args[4] = "--instance=run-test";
        System.arraycopy(extra, 0, args, 5, extra.length);
        return Cli.run(args);
    }

    @Test
    void shouldRefuseToStartAConfigWithErrors() throws Exception
    {
        final String file = write("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, colour: red}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """);
        final Cli.Result result = run(file);
        assertEquals(1, result.exitCode());
        assertEquals(file + ":3: /source/colour: unknown key 'colour': nothing reads it here (SequenceSource)\n" +
            "1 error; not started\n", result.err());
        assertFalse(Files.exists(dir.resolve("counters")), "nothing was started, not even the counters file");
    }

    @Test
    void shouldRunUntilTheSourceFinishesAndExitZero() throws Exception
    {
        final String file = write("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf, num_frames_to_generate: 500}
            sink: {kotekan_stage: SequenceSink, in_buf: buf}
            buf: {kotekan_buffer: standard}
            """);
        final Cli.Result result = run(file);
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("pipeline finished\n", result.out());
        assertTrue(result.err().contains("[/sink] stopped"), result.err());
        assertFalse(Files.exists(dir.resolve("counters/run-test.counters")), "the counters file is removed at exit");
    }

    @Test
    void shouldStopWithExitTwoNamingTheStageThatThrew() throws Exception
    {
        final String file = write("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            breaker: {kotekan_stage: FailingStage, in_buf: buf, fail_at_frame: 7}
            buf: {kotekan_buffer: standard}
            """);
        final Cli.Result result = run(file);
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("pipeline failed: stage /breaker (FailingStage) failed: " +
            "java.lang.IllegalStateException: boom at frame 7 at org.kotekanj.stage.FailingStage.doWork("),
            result.err());
    }

    @Test
    void shouldDrainAndExitZeroAfterTheDuration() throws Exception
    {
        final String file = write("""
            num_frames: 4
            frame_size: 64
            source: {kotekan_stage: SequenceSource, out_buf: buf}
            sink: {kotekan_stage: SequenceSink, in_buf: buf, delay_us: 100}
            buf: {kotekan_buffer: standard}
            """);
        final long start = System.nanoTime();
        final Cli.Result result = run(file, "--duration", "0.3");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("time limit of 0.3 s reached: draining"), result.err());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }
}
