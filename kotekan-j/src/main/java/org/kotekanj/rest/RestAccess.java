package org.kotekanj.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may change a node over REST. Operators bind REST to the site network to reach the dashboard and receive
 * triggers; then every request that changes something ({@code POST /start}, {@code /stop},
 * {@code /updatable_config}, {@code /baseband} POST and DELETE: every method but GET and HEAD) must carry
 * {@code Authorization: Bearer <token>}, the token read from a file only its owner can read. GETs stay open unless
 * {@code protectReads}. Tokens are compared in constant time (SHA-256 of both, then {@link MessageDigest#isEqual}),
 * so neither the token's bytes nor its length leak through timing.
 */
public final class RestAccess
{
    /** Shorter tokens are refused at start: an operator should use {@code openssl rand -hex 32}. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final RestAccess OPEN = new RestAccess(null, false);

    private final byte[] tokenDigest;
    private final boolean protectReads;

    private RestAccess(final byte[] tokenDigest, final boolean protectReads)
    {
        this.tokenDigest = tokenDigest;
        this.protectReads = protectReads;
    }

    /** No token: every request is allowed (REST on 127.0.0.1, the default). */
    public static RestAccess open()
    {
        return OPEN;
    }

    /**
     * Reads the token file; refuses a file that its group or others may read or write, a symbolic link, and a
     * token shorter than {@link #MIN_TOKEN_LENGTH} characters.
     */
    public static RestAccess fromTokenFile(final Path file, final boolean protectReads) throws IOException
    {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IOException("REST token file " + file + " is not a regular file");
        }
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        final Set<PosixFilePermission> extra = EnumSet.copyOf(NOT_OWNER);
        extra.retainAll(permissions);
        if (!extra.isEmpty())
        {
            throw new IOException("REST token file " + file + " can be read or changed by others (" +
                java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
        }
        final String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~'))
        {
            throw new IOException("REST token file " + file + " must hold one token of at least " +
                MIN_TOKEN_LENGTH + " printable characters (e.g. openssl rand -hex 32 > " + file + ")");
        }
        return new RestAccess(sha256(token.getBytes(StandardCharsets.US_ASCII)), protectReads);
    }

    /** Whether a request must carry the token: all but GET and HEAD, and those too with {@code protectReads}. */
    public boolean protects(final String method)
    {
        return tokenDigest != null && (protectReads || !("GET".equals(method) || "HEAD".equals(method)));
    }

    /**
     * {@code null} if the request may proceed, else the 401 to answer ({@code authorization} is the header's value,
     * or {@code null}).
     */
    public RestResponse refusal(final String method, final String authorization)
    {
        if (!protects(method))
        {
            return null;
        }
        final String message;
        if (authorization == null || authorization.isEmpty())
        {
            message = method + " needs Authorization: Bearer <token>";
        }
        else if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            message = "Authorization must be Bearer <token>";
        }
        else if (!MessageDigest.isEqual(tokenDigest,
            sha256(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8))))
        {
            message = "wrong token";
        }
        else
        {
            return null;
        }
        return RestResponse.error(401, message, null).withHeader("WWW-Authenticate", "Bearer realm=\"kotekan-j\"");
    }

    private static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
