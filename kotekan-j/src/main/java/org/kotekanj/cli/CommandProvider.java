package org.kotekanj.cli;

import java.util.List;

/**
 * Sub-commands contributed by other modules ({@code sim}, {@code expected}, {@code verify}, ...), discovered with
 * {@link java.util.ServiceLoader}: each element is a picocli {@code @Command} object.
 */
public interface CommandProvider
{
    List<Object> commands();
}
