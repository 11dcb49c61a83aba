package org.kotekanj.config;

/**
 * One problem in a pipeline config, located by file, line and tree path, in the {@code file:line: path: message} form
 * that editors and CI logs can link to.
 */
public record ConfigError(String file, int line, String path, String message)
{
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        if (file != null)
        {
            text.append(file).append(':');
        }
        if (line > 0)
        {
            text.append(line).append(':');
        }
        if (!text.isEmpty())
        {
            text.append(' ');
        }
        return text.append(path).append(": ").append(message).toString();
    }
}
