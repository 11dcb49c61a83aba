package org.kotekanj.rest;

/** An HTTP error answer: status, message and (optionally) the request field at fault, sent as JSON. */
public final class RestException extends RuntimeException
{
    private final int status;
    private final String field;

    public RestException(final int status, final String message, final String field)
    {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status()
    {
        return status;
    }

    public String field()
    {
        return field;
    }
}
