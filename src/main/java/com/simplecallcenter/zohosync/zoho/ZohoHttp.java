package com.simplecallcenter.zohosync.zoho;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * The wire to Zoho (accounts server and CRM API): camel-http through one endpoint whose target is set per request
 * ({@code CamelHttpUri}), never throwing on a status so every answer is classified by Zoho's rules, with our own
 * timeouts and no hidden retries (HttpClient would retry a 429 or 503 behind our redelivery). Each request is a fresh
 * exchange that carries only the headers set here: Camel's HTTP components pass headers on both ways.
 */
final class ZohoHttp {

    /**
     * An HTTP answer; {@code creditsRemaining}: Zoho's {@code X-API-CREDITS-REMAINING} header (sent once half the org's
     * credits are spent), else null.
     */
    record Answer(int status, byte[] body, Long creditsRemaining) {
        Answer(int status, byte[] body) {
            this(status, body, null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** No answer came. {@code maybeDelivered}: the request may have reached Zoho (read timeout, dropped connection). */
    static final class TransportException extends Exception {
        final boolean maybeDelivered;

        TransportException(Throwable cause, boolean maybeDelivered) {
            super(describe(cause), cause, false, false);
            this.maybeDelivered = maybeDelivered;
        }
    }

    private final CamelContext context;
    private final String endpointUri;
    private volatile ProducerTemplate template;

    ZohoHttp(CamelContext context, Duration connectTimeout, Duration readTimeout) {
        this.context = context;
        long connect = connectTimeout.toMillis();
        long read = readTimeout.toMillis();
        // the host of this URI is never used: CamelHttpUri names the target of each request
        this.endpointUri = "http://zoho.invalid/?throwExceptionOnFailure=false&followRedirects=false"
                + "&connectTimeout=" + connect + "&connectionRequestTimeout=" + (connect + read)
                + "&responseTimeout=" + read + "&soTimeout=" + read;
    }

    Answer send(String method, String url, Map<String, String> headers, String contentType, byte[] body) throws TransportException {
        Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
        Message in = exchange.getIn();
        in.setHeader(Exchange.HTTP_METHOD, method);
        in.setHeader(Exchange.HTTP_URI, url);
        in.setHeader("Accept", "application/json");
        headers.forEach(in::setHeader);
        if (body != null) {
            in.setHeader(Exchange.CONTENT_TYPE, contentType);
            in.setBody(body);
        }
        Exchange done = template().send(endpointUri, exchange);
        if (done.getException() != null) {
            Throwable cause = rootIo(done.getException());
            throw new TransportException(cause, maybeDelivered(cause));
        }
        Message out = done.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Answer(status == null ? 0 : status, bytes(out.getBody()), creditsRemaining(out.getHeader("X-API-CREDITS-REMAINING")));
    }

    void stop() {
        ProducerTemplate t = template;
        if (t != null) {
            try {
                t.stop();
            } catch (Exception ignored) {
                // shutting down
            }
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                t = template;
                if (t == null) {
                    t = context.createProducerTemplate();
                    template = t;
                }
            }
        }
        return t;
    }

    private static Long creditsRemaining(Object header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(String.valueOf(header).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] bytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }
        return String.valueOf(body).getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable rootIo(Throwable t) {
        Throwable io = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof IOException) {
                io = c;
            }
        }
        return io != null ? io : t;
    }

    /** Whether the request may have reached Zoho: false only when the connection itself could not be made. */
    static boolean maybeDelivered(Throwable cause) {
        String name = cause.getClass().getSimpleName();
        if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                || cause instanceof SSLHandshakeException || name.contains("ConnectTimeout") || name.contains("ConnectionRequestTimeout")) {
            return false;
        }
        return cause instanceof IOException || cause instanceof InterruptedIOException;
    }

    private static String describe(Throwable cause) {
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m));
    }
}
