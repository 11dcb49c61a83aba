package org.kotekanj.rest;

/**
 * Runs before the handler of every routed request (authentication, audit): return {@code null} to let the request
 * through, or the answer that ends it there (a 401). Throwing {@link RestException} works too.
 */
@FunctionalInterface
public interface RestFilter
{
    RestResponse filter(RestRequest request) throws Exception;
}
