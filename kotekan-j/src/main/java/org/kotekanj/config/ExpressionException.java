package org.kotekanj.config;

/** An expression in the config could not be evaluated; the message names the expression and the reason. */
public final class ExpressionException extends RuntimeException
{
    public ExpressionException(final String message)
    {
        super(message);
    }
}
