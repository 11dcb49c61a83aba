package org.kotekanj.sim;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.StageConfig;
import org.kotekanj.config.YamlConfigLoader;

/** Stage configs for tests, parsed from YAML text as a pipeline file would hold them. */
public final class SimConfigs
{
    private SimConfigs()
    {
    }

    /** The root of {@code yaml} as a stage's config; its errors land in {@code errors}. */
    public static StageConfig stage(final String yaml, final ConfigErrors errors)
    {
        final ConfigNode root = YamlConfigLoader.parse(yaml, "test.yaml", errors);
        return new StageConfig(root, errors);
    }

    /** Every error message, one per line, for assertion messages. */
    public static String describe(final ConfigErrors errors)
    {
        final StringBuilder text = new StringBuilder();
        errors.list().forEach(e -> text.append(e).append('\n'));
        return text.toString();
    }
}
