package org.kotekanj.baseband.waterfall;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.kotekanj.rest.RestException;
import org.kotekanj.rest.RestResponse;

/** {@code GET /baseband/{event_id}/waterfall.png}: the waterfall of the files an event has written so far. */
public final class WaterfallEndpoint
{
    private WaterfallEndpoint()
    {
    }

    public static RestResponse render(final Path eventDirectory, final int columns)
    {
        if (!Files.isDirectory(eventDirectory))
        {
            throw new RestException(404, "the event has written no files yet", "event_id");
        }
        try
        {
            return new RestResponse(200, "image/png", png(Waterfall.render(eventDirectory, columns)));
        }
        catch (final IOException e)
        {
            throw new RestException(404, "no waterfall: " + e.getMessage(), "event_id");
        }
    }

    public static byte[] png(final Waterfall.Result result) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(result.image(), "png", out);
        return out.toByteArray();
    }
}
