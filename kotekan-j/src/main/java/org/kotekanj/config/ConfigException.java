package org.kotekanj.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot run, with every reason found. */
public final class ConfigException extends RuntimeException
{
    private final List<ConfigError> errors;

    public ConfigException(final List<ConfigError> errors)
    {
        super(errors.size() + " config error" + (errors.size() == 1 ? "" : "s") + ":\n" +
            errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors()
    {
        return errors;
    }
}
