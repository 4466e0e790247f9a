package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.Exchange;

import static com.simplecallcenter.zohosync.http.Html.escape;

/** The small pages a browser sees at the end of the consent round trip. Everything shown is escaped. */
final class ConsentPage {

    private ConsentPage() {
    }

    static void page(Exchange exchange, int status, String title, String... paragraphs) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<link rel=\"stylesheet\" href=\"../../").append(AdminHtml.CSS).append("\">")
                .append("<link rel=\"icon\" href=\"../../").append(AdminHtml.ICON).append("\" type=\"image/svg+xml\">")
                .append("</head><body><main id=\"main\" class=\"narrow\"><h1>").append(escape(title)).append("</h1>\n");
        for (String p : paragraphs) {
            sb.append("<p>").append(escape(p)).append("</p>\n");
        }
        // relative, so that it also works behind a proxy that adds a path prefix (…/oauth/zoho/callback → …/admin)
        sb.append("<p><a href=\"../../admin\">Back to the admin page</a></p>\n</main></body></html>\n");
        Problems.respond(exchange, status, "text/html; charset=utf-8", sb.toString());
        // the callback URL carried a grant code: keep it out of caches and out of any Referer
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
}
