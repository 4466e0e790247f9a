package com.simplecallcenter.zohosync.http;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Camel's HTTP header filter (whichever the REST consumer installs), except that {@code Cache-Control} set by a route
 * reaches the response: Camel drops it by default, and the pages that must never be cached (the OAuth callback, whose
 * URL holds a grant code; the admin page) need it. A {@code Cache-Control} header of the request is kept out of the
 * exchange instead, so that it can never be echoed back.
 */
public final class ResponseHeaderFilterStrategy implements HeaderFilterStrategy {

    private final HeaderFilterStrategy delegate;

    public ResponseHeaderFilterStrategy(HeaderFilterStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        if ("Cache-Control".equalsIgnoreCase(headerName)) {
            return false;
        }
        return delegate != null && delegate.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        if ("Cache-Control".equalsIgnoreCase(headerName)) {
            return true;
        }
        return delegate != null && delegate.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }
}
