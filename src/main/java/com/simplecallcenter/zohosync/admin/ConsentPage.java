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
                .append("</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5}</style>")
                .append("</head><body><h1>").append(escape(title)).append("</h1>\n");
        for (String p : paragraphs) {
            sb.append("<p>").append(escape(p)).append("</p>\n");
        }
        // relative, so that it also works behind a proxy that adds a path prefix (…/oauth/zoho/callback → …/admin)
        sb.append("<p><a href=\"../../admin\">Back to the admin page</a></p>\n</body></html>\n");
        Problems.respond(exchange, status, "text/html; charset=utf-8", sb.toString());
        // the callback URL carried a grant code: keep it out of caches and out of any Referer
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }
}
