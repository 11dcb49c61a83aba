package org.kotekanj.stage;

/**
 * {@code threading_mode:} as in Aeron: {@code dedicated} gives a stage its own (pinnable) thread; {@code shared}
 * stages take turns on one thread, so a small machine can run a whole pipeline.
 */
public enum ThreadingMode
{
    DEDICATED, SHARED
}
