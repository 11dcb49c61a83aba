package org.kotekanj.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Slf4jToLogTest
{
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restore()
    {
        Log.redirect(System.err);
    }

    private String capture(final Runnable logging)
    {
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        logging.run();
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldBeTheProviderSlf4jFinds()
    {
        assertEquals(Slf4jToLog.class, LoggerFactory.getLogger("org.example.Library").getClass().getNestHost());
    }

    @Test
    void shouldWriteLibraryWarningsAndErrorsAsOurLogLines()
    {
        final String out = capture(() ->
        {
            LoggerFactory.getLogger("org.example.Library").warn("disk {} is slow", "sda");
            LoggerFactory.getLogger("org.example.Library").error("failed", new IllegalStateException("boom"));
        });
        assertTrue(out.contains("WARN [org.example.Library] disk sda is slow"), out);
        assertTrue(out.contains("ERROR [org.example.Library] failed: java.lang.IllegalStateException: boom"), out);
    }

    @Test
    void shouldDropLibraryInfoAndJhdfsAlphaWarning()
    {
        final String out = capture(() ->
        {
            LoggerFactory.getLogger("org.example.Library").info("started");
            LoggerFactory.getLogger("io.jhdf.WritableHdfFile").warn("Writing files is in alpha. Check files carefully!");
        });
        assertFalse(out.contains("started"), out);
        assertFalse(out.contains("alpha"), out);
    }
}
