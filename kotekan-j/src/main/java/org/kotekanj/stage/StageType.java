package org.kotekanj.stage;

/** A stage class as the config names it ({@code kotekan_stage: Name}), with its factory and a one-line description. */
public record StageType(String name, String description, StageFactory factory)
{
    public static StageType of(final String name, final String description, final StageFactory factory)
    {
        return new StageType(name, description, factory);
    }
}
