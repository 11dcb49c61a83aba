package org.kotekanj.rest;

/** Serves one endpoint; throw {@link RestException} for client errors. */
@FunctionalInterface
public interface RestHandler
{
    RestResponse handle(RestRequest request) throws Exception;
}
