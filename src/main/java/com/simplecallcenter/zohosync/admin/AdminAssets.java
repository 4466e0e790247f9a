package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The admin page's own stylesheet, script and icon ({@code GET /admin/assets/{name}}), served from the jar: no CDN, so the
 * page's CSP can say {@code style-src 'self'; script-src 'self'}. Only the names listed here exist.
 */
public final class AdminAssets {

    private static final Map<String, String> TYPES = Map.of("admin.css", "text/css; charset=utf-8",
            "admin.js", "text/javascript; charset=utf-8", "favicon.svg", "image/svg+xml");

    private final Map<String, String> content;

    public AdminAssets() {
        this.content = Map.of("admin.css", read("admin.css"), "admin.js", read("admin.js"), "favicon.svg", read("favicon.svg"));
    }

    private static String read(String name) {
        try (InputStream in = AdminAssets.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("admin page asset missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Route step: the asset named by the path, or 404. */
    public void serve(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        String body = name == null ? null : content.get(name);
        if (body == null) {
            Problems.respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            return;
        }
        Problems.respond(exchange, 200, TYPES.get(name), body);
        // short: a new version of the page reaches browsers within minutes, and the page itself is never cached
        exchange.getMessage().setHeader("Cache-Control", "public, max-age=300");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
    }
}
