package org.kotekanj.sim;

import org.junit.jupiter.api.Test;
import org.kotekanj.cli.Main;
import org.kotekanj.stage.StageRegistry;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module's stage and commands are found the way the runtime finds them (ServiceLoader). */
class SimRegistrationTest
{
    @Test
    void shouldRegisterTheFrameChecker()
    {
        assertNotNull(StageRegistry.discover().find("SampleFrameChecker"));
    }

    @Test
    void shouldRegisterTheExpectedAndVerifyCommands()
    {
        assertTrue(Main.commandLine().getSubcommands().containsKey("expected"));
        assertTrue(Main.commandLine().getSubcommands().containsKey("verify"));
    }
}
