package org.kotekanj.rest;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before any route runs (a malformed request line, a bad {@code Content-Length},
 * headers over the limit, protocol violations), as the same JSON body every other error has, never Jetty's HTML.
 */
final class JsonErrorHandler extends ErrorHandler
{
    @Override
    public boolean errorPageForMethod(final String method)
    {
        return true;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback)
    {
        final int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        final String message = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
        return true;
    }

    /** What Jetty sends when it cannot even parse the request into one. */
    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields)
    {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(final int status, final String reason)
    {
        final String phrase = HttpStatus.getMessage(status).toLowerCase(Locale.ROOT);
        final String message = reason == null || reason.isBlank() || reason.equalsIgnoreCase(phrase) ? phrase :
            phrase + ": " + reason;
        return RestResponse.error(status, message, null).body();
    }
}
