package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.Exchange;

import java.util.Map;

import static com.simplecallcenter.zohosync.http.Html.escape;

/**
 * A small HTML builder for the admin page: every text goes through {@link com.simplecallcenter.zohosync.http.Html#escape}
 * unless a method says it takes markup. The layout (landmarks, skip link, our own stylesheet and script) and the strict
 * security headers live here: no inline style or script anywhere, so the CSP allows only what the app serves itself.
 */
final class AdminHtml {

    static final String CSS = "admin/assets/admin.css";
    static final String JS = "admin/assets/admin.js";
    /** Our own icon: without one the browser asks for /favicon.ico, and its 404 is an error in the console. */
    static final String ICON = "admin/assets/favicon.svg";
    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final StringBuilder sb = new StringBuilder(16 * 1024);

    private final String up;

    /**
     * A page with a title; {@code header}: markup of the top bar's right side (tenant, sign out), or null. Every URL of
     * the page is relative ({@code up} leads from the request's path to the root), so the page also works behind a
     * proxy that adds a path prefix.
     */
    AdminHtml(String title, String header, String up) {
        this.up = up;
        sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<link rel=\"stylesheet\" href=\"").append(up).append(CSS).append("\">")
                .append("<link rel=\"icon\" href=\"").append(up).append(ICON).append("\" type=\"image/svg+xml\">")
                .append("<script src=\"").append(up).append(JS).append("\" defer></script></head><body>\n")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
                .append("<header class=\"top\"><span class=\"brand\">scc-zoho-sync <span class=\"muted\">admin</span></span>")
                .append(header == null ? "" : header).append("</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    }

    /** The way from the request's path up to the root: {@code ""} for /admin, {@code "../"} for /admin/login, … */
    static String up(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        int q = path == null ? -1 : path.indexOf('?');
        String p = path == null ? "/admin" : q < 0 ? path : path.substring(0, q);
        int slashes = (int) p.chars().filter(c -> c == '/').count();
        return "../".repeat(Math.max(0, Math.min(slashes - 1, 10)));
    }

    static String e(String text) {
        return escape(text == null ? "" : text);
    }

    AdminHtml raw(String html) {
        sb.append(html);
        return this;
    }

    AdminHtml h1(String text) {
        sb.append("<h1>").append(e(text)).append("</h1>\n");
        return this;
    }

    AdminHtml p(String cssClass, String text) {
        sb.append(cssClass == null ? "<p>" : "<p class=\"" + e(cssClass) + "\">").append(e(text)).append("</p>\n");
        return this;
    }

    /** A message after an action: announced by screen readers ({@code alert} for an error, else {@code status}). */
    AdminHtml flash(String text, boolean error) {
        sb.append("<div class=\"flash").append(error ? " error\" role=\"alert\"" : "\" role=\"status\"").append(">")
                .append(e(text)).append("</div>\n");
        return this;
    }

    /** Opens a section with a heading the section is labelled by. */
    AdminHtml section(String id, String heading, String intro) {
        sb.append("<section id=\"").append(e(id)).append("\" aria-labelledby=\"").append(e(id)).append("-h\"><h2 id=\"")
                .append(e(id)).append("-h\">").append(e(heading)).append("</h2>\n");
        if (intro != null) {
            p("intro", intro);
        }
        return this;
    }

    AdminHtml end() {
        sb.append("</section>\n");
        return this;
    }

    /** A two-column table of facts (label, value), both escaped. */
    AdminHtml facts(String[][] rows) {
        sb.append("<table class=\"facts\"><tbody>");
        for (String[] r : rows) {
            sb.append("<tr><th scope=\"row\">").append(e(r[0])).append("</th><td>").append(e(r[1])).append("</td></tr>");
        }
        sb.append("</tbody></table>\n");
        return this;
    }

    /** The opening tag of a POST form with the session's CSRF token and the hidden fields (escaped). */
    static String formStart(String action, String csrf, Map<String, String> hidden, String cssClass) {
        StringBuilder f = new StringBuilder("<form method=\"post\" action=\"").append(e(action)).append("\"")
                .append(cssClass == null ? "" : " class=\"" + e(cssClass) + "\"").append(">");
        if (csrf != null) {
            f.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(e(csrf)).append("\">");
        }
        hidden.forEach((k, v) -> f.append("<input type=\"hidden\" name=\"").append(e(k)).append("\" value=\"").append(e(v)).append("\">"));
        return f.toString();
    }

    /** A form that is one button. */
    static String button(String action, String csrf, Map<String, String> hidden, String label, String buttonClass) {
        return formStart(action, csrf, hidden, "inline") + "<button type=\"submit\"" + (buttonClass == null ? "" : " class=\"" + e(buttonClass) + "\"")
                + ">" + e(label) + "</button></form>";
    }

    /** A link that opens in a new tab, saying so to screen readers. */
    static String external(String href, String text) {
        return "<a href=\"" + e(href) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + e(text)
                + "<span class=\"sr-only\"> (opens in a new tab)</span></a>";
    }

    void respond(Exchange exchange, int status) {
        sb.append("</main>\n</body></html>\n");
        Problems.respond(exchange, status, "text/html; charset=utf-8", sb.toString());
        headers(exchange);
    }

    /** A page of one message, with a way back. */
    static void page(Exchange exchange, int status, String title, String text) {
        String up = up(exchange);
        AdminHtml h = new AdminHtml(title, null, up);
        h.h1(title);
        h.flash(text, status >= 400);
        h.raw("<p><a href=\"" + up + "admin\">Back to the admin page</a></p>\n");
        h.respond(exchange, status);
    }

    static void headers(Exchange exchange) {
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("X-Frame-Options", "DENY");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        exchange.getMessage().setHeader("Content-Security-Policy", CSP);
    }
}
