package com.simplecallcenter.zohosync.http;

import com.simplecallcenter.zohosync.http.ProblemException;
import org.apache.camel.Exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a webhook body with a hard cap: a declared Content-Length over the cap is refused before reading, and a
 * chunked body is read at most one byte past the cap. The Jetty endpoint hands us the raw stream (stream caching off).
 */
public final class RequestBodies {

    public static final int MAX_BYTES = 256 * 1024;

    private RequestBodies() {
    }

    public static byte[] readBounded(Exchange exchange, int maxBytes) {
        Long declared = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] b) {
            if (b.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return b;
        }
        if (body instanceof String s) {
            return readBounded(new java.io.ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)), maxBytes);
        }
        InputStream in = exchange.getMessage().getBody(InputStream.class);
        if (in == null) {
            return new byte[0];
        }
        return readBounded(in, maxBytes);
    }

    private static byte[] readBounded(InputStream in, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) != -1) {
                if (out.size() + n > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw ProblemException.badRequest("the request body could not be read", null);
        }
        return out.toByteArray();
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(413, "Payload too large", "too-large", "the body exceeds " + (maxBytes / 1024) + " KiB");
    }

    /** 415 unless the content type is JSON ({@code application/json} or {@code +json}) in UTF-8. */
    public static void requireJson(Exchange exchange) {
        String ct = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (ct == null) {
            throw unsupported("a Content-Type of application/json is required");
        }
        String[] parts = ct.toLowerCase(Locale.ROOT).split(";");
        String mime = parts[0].trim();
        if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
            throw unsupported("Content-Type must be application/json (got " + mime + ")");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("charset=")) {
                String cs = p.substring(8).replace("\"", "").trim();
                if (!cs.equals("utf-8") && !cs.equals("utf8")) {
                    throw unsupported("the body must be UTF-8 (got charset " + cs + ")");
                }
            }
        }
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(415, "Unsupported media type", "media-type", detail);
    }
}
