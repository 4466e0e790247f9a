package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.features.FeatureSwitches;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.sync.CallSyncRepository;
import com.simplecallcenter.zohosync.sync.CallSyncRow;
import com.simplecallcenter.zohosync.sync.Reconciler;
import com.simplecallcenter.zohosync.sync.SyncAdmin;
import com.simplecallcenter.zohosync.zoho.ZohoCredits;
import com.simplecallcenter.zohosync.zoho.ZohoOAuth;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.http.Html.escape;

/**
 * The admin page, {@code /admin}: what an admin does in a browser. Sign in once (a session cookie, see
 * {@link AdminAuth}) with a tenant admin token, to see that tenant only, or with the operator's (SCC_ADMIN_TOKEN), to
 * see the list of tenants and open any of them ({@code ?tenant=}; the tenant default without one). On a tenant's page:
 * the Zoho connection ("Connect Zoho CRM", disconnect), the sync's counts and the calls that failed (replay one), the
 * optional routes (switch), and the agent map. Every action is a form POST
 * with the session's CSRF token, answered 303 back to the page (post/redirect/get). The page reads and acts through
 * the same beans as the JSON admin API; everything shown is HTML-escaped; the page is never cached or framed.
 */
public final class AdminPage {

    private static final Logger LOG = LoggerFactory.getLogger("scc.admin");
    private static final int MAX_FORM = 8 * 1024;
    private static final int FAILURES_SHOWN = 50;

    private final AdminAuth auth;
    private static final String DEFAULT = Tenancy.DEFAULT;

    private final ZohoOrgs orgs;
    private final FeatureSwitches switches;
    private final SyncAdmin sync;
    private final Reconciler reconciler;
    private final AdminTenants tenants;

    public AdminPage(AdminAuth auth, String publicBaseUrl, ZohoOrgs orgs, FeatureSwitches switches, SyncAdmin sync,
                     Reconciler reconciler, AdminTenants tenants) {
        this.auth = auth;
        String url = publicBaseUrl == null ? "" : publicBaseUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("http:") && !java.util.regex.Pattern.compile("^http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:|/|$)").matcher(url).find()) {
            LOG.warn("the admin page needs https: its session cookie is Secure, so browsers keep it only over https "
                    + "(or http to localhost); SCC_PUBLIC_BASE_URL is plain http");
        }
        this.orgs = orgs;
        this.switches = switches;
        this.sync = sync;
        this.reconciler = reconciler;
        this.tenants = tenants;
    }

    /**
     * The tenant a request acts on: a tenant admin's own, whatever the request says; for the operator, the one named
     * ({@code tenant} in the query or the form), else default. Null (after answering 404) for a tenant that is not there.
     */
    private String tenantOf(Exchange exchange, AdminAuth.Session session, Map<String, String> form) {
        if (!session.isOperator()) {
            return session.tenant();
        }
        String named = form.get("tenant");
        if (named == null) {
            named = query(exchange).get("tenant");
        }
        if (named == null || named.isEmpty()) {
            return DEFAULT;
        }
        if (!Tenancy.validId(named) || !tenants.active(named)) {
            Html.page(exchange, 404, "No such tenant", "There is no active tenant by that name.");
            return null;
        }
        return named;
    }

    private static Map<String, String> query(Exchange exchange) {
        String q = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        return parse(q == null ? "" : q);
    }

    /** The page's address for a tenant, relative to where a form posted ({@code up}: how many levels up to the root). */
    private static String back(String up, String tenant, String done) {
        return up + "admin?done=" + done + (DEFAULT.equals(tenant) ? "" : "&tenant=" + tenant);
    }

    // ------------------------------------------------------------------ route steps

    /** GET /admin: the page, or the sign-in form without a valid session. */
    public void show(Exchange exchange) {
        if (!auth.isEnabled()) {
            disabled(exchange);
            return;
        }
        var session = auth.session(exchange);
        if (session.isEmpty()) {
            signIn(exchange, 200, null);
            return;
        }
        String tenant = tenantOf(exchange, session.get(), Map.of());
        if (tenant != null) {
            page(exchange, session.get(), tenant, flash(exchange));
        }
    }

    /** POST /admin/login (form {@code token}): a session cookie for the right admin token, 401 otherwise. */
    public void login(Exchange exchange) {
        if (!auth.isEnabled()) {
            disabled(exchange);
            return;
        }
        try {
            auth.limiter().checkSignIn(exchange);
        } catch (com.simplecallcenter.zohosync.http.ProblemException tooMany) {
            signIn(exchange, 429, "Too many failed sign-ins. Wait a minute and try again.");
            exchange.getMessage().setHeader("Retry-After", String.valueOf(tooMany.retryAfterSeconds()));
            return;
        }
        Map<String, String> form = form(exchange);
        String token = form.get("token");
        String who;
        if (auth.matches(token)) {
            who = null;
        } else {
            Optional<String> tenant = token == null || token.isEmpty() ? Optional.empty() : tenants.tenantOfAdminToken(token);
            if (tenant.isEmpty()) {
                LOG.warn("admin page: sign-in refused (wrong token)");
                // counted, not slept on: a request thread is never held, and the address is refused (429) after a few
                auth.limiter().failed(exchange);
                signIn(exchange, 401, "That is not an admin token.");
                return;
            }
            who = tenant.get();
        }
        redirect(exchange, "../admin", cookie(auth.newSession(who), AdminAuth.SESSION.toSeconds()));
        LOG.info("admin page: signed in ({})", who == null ? "operator" : "tenant=" + who);
    }

    /** POST /admin/logout: the session ends on the server too (a copy of the cookie opens nothing afterwards). */
    public void logout(Exchange exchange) {
        auth.session(exchange).ifPresent(auth::end);
        redirect(exchange, "../admin", cookie("", 0));
    }

    /** POST /admin/zoho/disconnect. */
    public void disconnect(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        orgs.of(a.tenant()).oauth().disconnect();
        LOG.info("admin page: tenant={} Zoho disconnected", a.tenant());
        redirect(exchange, back("../../", a.tenant(), "disconnected"), null);
    }

    /** POST /admin/features/{name} (form {@code enabled=true|false}). */
    public void feature(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        String name = exchange.getMessage().getHeader("name", String.class);
        String enabled = a.form().get("enabled");
        if (name == null || !switches.exists(name) || !("true".equals(enabled) || "false".equals(enabled))) {
            Html.page(exchange, 400, "Not changed", "There is no optional route by that name, or the form was not sent from this page.");
            return;
        }
        switches.set(a.tenant(), name, Boolean.parseBoolean(enabled));
        LOG.info("admin page: tenant={} feature {} {}", a.tenant(), name, Boolean.parseBoolean(enabled) ? "on" : "off");
        redirect(exchange, back("../../", a.tenant(), "feature"), null);
    }

    /** POST /admin/calls/{callId}/replay. */
    public void replay(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        String callId = exchange.getMessage().getHeader("callId", String.class);
        if (!sync.replay(a.tenant(), callId)) {
            Html.page(exchange, 404, "No such call", "There is no call with that id.");
            return;
        }
        LOG.info("admin page: tenant={} replay of call {}", a.tenant(), callId);
        redirect(exchange, back("../../../", a.tenant(), "replayed"), null);
    }

    // ------------------------------------------------------------------ pieces

    /** A form of a valid session with a valid CSRF token, and the tenant it acts on. */
    private record Acting(Map<String, String> form, String tenant) {
    }

    /** The form and tenant of a valid session with a valid CSRF token, or null after answering 401/403/404 itself. */
    private Acting authorized(Exchange exchange) {
        if (!auth.isEnabled()) {
            disabled(exchange);
            return null;
        }
        var session = auth.session(exchange);
        if (session.isEmpty()) {
            signIn(exchange, 401, "Your session ended. Sign in again.");
            return null;
        }
        Map<String, String> form = form(exchange);
        if (!auth.validCsrf(session.get().value(), form.get("csrf"))) {
            Html.page(exchange, 403, "Refused", "This form did not come from the admin page (CSRF token missing or wrong). Reload the page and try again.");
            return null;
        }
        String tenant = tenantOf(exchange, session.get(), form);
        return tenant == null ? null : new Acting(form, tenant);
    }

    private void page(Exchange exchange, AdminAuth.Session session, String tenant, String flash) {
        String csrf = auth.csrf(session.value());
        Map<String, String> hidden = DEFAULT.equals(tenant) ? Map.of() : Map.of("tenant", tenant);
        Html h = new Html("scc-zoho-sync admin");
        if (flash != null) {
            h.p("note", flash);
        }
        if (session.isOperator()) {
            tenantList(h, tenant);
        }
        h.raw("<p>Tenant <strong>" + escape(tenant) + "</strong>" + (session.isOperator() ? "" : " (signed in as its admin)") + "</p>\n");

        h.h2("Zoho CRM connection");
        ObjectNode z = orgs.of(tenant).oauth().status();
        String state = z.path("state").asText();
        h.p("state " + state, switch (state) {
            case "connected" -> "Connected";
            case "broken" -> "Broken: " + z.path("brokenReason").asText("reconnect");
            default -> "Not connected";
        });
        if (!state.equals("disconnected")) {
            JsonNode user = z.path("user");
            h.table(new String[][]{
                    {"Zoho user", user.isObject() ? (user.path("email").asText("") + " " + user.path("name").asText("")).trim() : ""},
                    {"accounts server", z.path("accountsUrl").asText("")},
                    {"API domain", z.path("apiDomain").asText("")},
                    {"connected at", z.path("connectedAt").asText("")},
                    {"last token refresh", z.path("lastRefreshAt").asText("")},
                    {"scopes", String.join(", ", iterable(z.path("scopes")))}});
        }
        // the rolling 24 h window of the org's API credits (scc.zoho.daily-credits); warned from 80 %
        ZohoCredits.Usage credits = orgs.credits().usage(tenant);
        h.p(credits.ratio() >= ZohoCredits.WARN_AT ? "note" : "credits", "credits used today: " + credits.used()
                + (credits.budget() > 0 ? " of " + credits.budget() : " (no budget set)")
                + (credits.exhausted() ? ", spent: calls wait until the rolling 24 h window frees credits"
                : credits.ratio() >= ZohoCredits.WARN_AT ? ", over 80 % of the daily budget" : ""));
        // a plain link: the connect redirect accepts this session's cookie (SameSite=Strict is sent on our own links)
        h.raw("<p><a class=\"button\" href=\"oauth/zoho/connect" + (DEFAULT.equals(tenant) && session.isOperator() ? "" : "?tenant=" + escape(tenant))
                + "\">" + (state.equals("connected") ? "Reconnect Zoho CRM" : "Connect Zoho CRM")
                + "</a> Sign in at Zoho as the user the service should act as, and approve.</p>\n");
        if (!state.equals("disconnected")) {
            h.form("admin/zoho/disconnect", csrf, hidden, "Disconnect (revoke at Zoho)");
        }

        CallSyncRepository repository = sync.repository();
        CallSyncRepository.Counts c = repository.counts(tenant);
        h.h2("Calls");
        h.table(new String[][]{{"pending", String.valueOf(c.pending() + c.waiting())}, {"synced", String.valueOf(c.synced())},
                {"parked (retried automatically)", String.valueOf(c.parked())}, {"dead (need a person, then a replay)", String.valueOf(c.dead())}});

        h.h2("Optional routes");
        for (FeatureSwitches.Item f : switches.items(tenant)) {
            h.raw("<div class=\"feature\"><strong>" + escape(f.name()) + "</strong> " + (f.enabled() ? "on" : "off") + " — "
                    + escape(f.description()));
            Map<String, String> fields = new java.util.LinkedHashMap<>(hidden);
            fields.put("enabled", String.valueOf(!f.enabled()));
            h.form("admin/features/" + f.name(), csrf, fields, f.enabled() ? "Switch off" : "Switch on");
            h.raw("</div>\n");
        }

        h.h2("Calls that could not be synced");
        var failures = repository.failures(tenant, FAILURES_SHOWN);
        if (failures.isEmpty()) {
            h.p(null, "None.");
        }
        for (CallSyncRow row : failures) {
            h.raw("<div class=\"failure\"><code>" + escape(row.callId()) + "</code> " + escape(row.status()) + " · "
                    + escape(row.lastErrorCode()) + (row.lastErrorField() == null ? "" : " (" + escape(row.lastErrorField()) + ")")
                    + " · " + row.attempts() + " attempt(s)" + (row.lastAttemptAt() == null ? "" : " · last " + escape(row.lastAttemptAt().toString()))
                    + "<br><small>" + escape(row.lastErrorMessage()) + "</small>");
            h.form("admin/calls/" + row.callId() + "/replay", csrf, hidden, "Replay");
            h.raw("</div>\n");
        }

        h.h2("Reconciliation with Zoho");
        var last = reconciler.last(tenant);
        if (last.isEmpty()) {
            h.p(null, "Not run yet (scheduled every scc.reconcile.interval; POST " + (DEFAULT.equals(tenant) ? "/api/v1/admin/reconcile"
                    : "/api/v1/tenants/" + tenant + "/admin/reconcile") + " runs it now).");
        } else {
            JsonNode r = report(last.get().report());
            h.table(new String[][]{{"last run", last.get().finishedAt().toString() + " (Calls created since " + r.path("since").asText() + ")"},
                    {"Calls checked", r.path("checked").asText() + (r.path("truncated").asBoolean() ? " (stopped at the page cap: not all read)" : "")},
                    {"deleted in Zoho", ids(r.path("deleted"), "callId")},
                    {"several Calls for one call", ids(r.path("duplicates"), "callId")},
                    {"adopted (Call we had not recorded)", ids(r.path("adopted"), "callId")}});
        }

        h.h2("Agents");
        Map<String, String> agents = DEFAULT.equals(tenant) ? Map.of() : tenants.agents(tenant);
        if (DEFAULT.equals(tenant)) {
            h.p(null, "The agents of this tenant are mapped in config/agents.yaml.");
        } else if (agents.isEmpty()) {
            h.p(null, "No agent is mapped yet (PUT /api/v1/tenants/" + tenant + "/admin/agents).");
        } else {
            h.table(agents.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> new String[]{e.getKey(), "Zoho user " + e.getValue()}).toArray(String[][]::new));
        }
        java.util.List<String> unmapped = sync.unmappedAgents(tenant);
        if (!unmapped.isEmpty()) {
            h.p("note", "Seen in calls without a Zoho user: " + String.join(", ", unmapped));
        }
        h.form("admin/logout", null, Map.of(), "Sign out");
        h.respond(exchange, 200);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static JsonNode report(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable reconcile report", e);
        }
    }

    /** How many findings, and the first call ids of them. */
    private static String ids(JsonNode items, String key) {
        List<String> ids = new java.util.ArrayList<>();
        items.forEach(i -> ids.add(i.path(key).asText()));
        return ids.isEmpty() ? "0" : ids.size() + ": " + String.join(", ", ids.subList(0, Math.min(10, ids.size())))
                + (ids.size() > 10 ? ", …" : "");
    }

    /** The operator's list of tenants with their state; each opens its page. */
    private void tenantList(Html h, String current) {
        h.h2("Tenants");
        StringBuilder b = new StringBuilder("<ul class=\"tenants\">");
        for (AdminTenants.Row t : tenants.list()) {
            String href = DEFAULT.equals(t.id()) ? "admin" : "admin?tenant=" + escape(t.id());
            b.append("<li>").append(t.id().equals(current) ? "<strong>" : "")
                    .append("disabled".equals(t.state()) ? escape(t.id()) : "<a href=\"" + href + "\">" + escape(t.id()) + "</a>")
                    .append(t.id().equals(current) ? "</strong>" : "")
                    .append(" ").append(escape(t.name() == null ? "" : t.name())).append(" · ").append(escape(t.state())).append("</li>");
        }
        h.raw(b.append("</ul>\n").toString());
    }

    private static String flash(Exchange exchange) {
        String q = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> query = parse(q == null ? "" : q);
        return switch (query.getOrDefault("done", "")) {
            case "disconnected" -> "Zoho CRM was disconnected.";
            case "feature" -> "Switched. Every instance follows within seconds.";
            case "replayed" -> "The call is being synced again.";
            default -> null;
        };
    }

    private void signIn(Exchange exchange, int status, String message) {
        Html h = new Html("scc-zoho-sync admin: sign in");
        if (message != null) {
            h.p("note", message);
        }
        h.raw("<form method=\"post\" action=\"admin/login\"><label>Admin token (SCC_ADMIN_TOKEN) "
                + "<input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label> "
                + "<button type=\"submit\">Sign in</button></form>\n");
        h.respond(exchange, status);
    }

    private static void disabled(Exchange exchange) {
        Html.page(exchange, 404, "Admin page disabled", "Set SCC_ADMIN_TOKEN to enable the admin page and the admin API.");
    }

    private void redirect(Exchange exchange, String location, String setCookie) {
        Problems.respond(exchange, 303, "text/plain; charset=utf-8", "See " + location + "\n");
        exchange.getMessage().setHeader("Location", location);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        if (setCookie != null) {
            exchange.getMessage().setHeader("Set-Cookie", setCookie);
        }
    }

    private String cookie(String value, long maxAgeSeconds) {
        // always Secure (a __Host- cookie must be): browsers send it over https, and over http to localhost only
        return AdminAuth.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict; Secure";
    }

    private static Map<String, String> form(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String text;
        if (body instanceof byte[] bytes) {
            text = new String(bytes, 0, Math.min(bytes.length, MAX_FORM), StandardCharsets.UTF_8);
        } else {
            // not a form post (RawFormHttpBinding reads form bodies into bytes): nothing to read
            text = "";
        }
        return parse(text);
    }

    static Map<String, String> parse(String urlEncoded) {
        Map<String, String> m = new HashMap<>();
        for (String pair : urlEncoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                m.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored: the checks that follow refuse what is missing
            }
        }
        return m;
    }

    private static Iterable<String> iterable(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A small HTML builder: every text goes through {@link com.simplecallcenter.zohosync.http.Html#escape}. */
    static final class Html {

        private final StringBuilder sb = new StringBuilder(4096);

        Html(String title) {
            sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                    .append("</title><meta name=\"viewport\" content=\"width=device-width\"><style>")
                    .append("body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.5}")
                    .append("table{border-collapse:collapse}td{padding:.15em .8em .15em 0;vertical-align:top}")
                    .append(".note{background:#eef;padding:.4em .8em}.state{font-weight:bold}.connected{color:#070}.broken{color:#a00}")
                    .append(".feature,.failure{margin:.6em 0}form{display:inline;margin-left:.5em}")
                    .append("a.button,button{font:inherit;padding:.3em .8em;border:1px solid #888;border-radius:4px;background:#f4f4f4;color:#000;text-decoration:none;cursor:pointer}")
                    .append("</style></head><body><h1>").append(escape(title)).append("</h1>\n");
        }

        void h2(String text) {
            sb.append("<h2>").append(escape(text)).append("</h2>\n");
        }

        void p(String cssClass, String text) {
            sb.append(cssClass == null ? "<p>" : "<p class=\"" + escape(cssClass) + "\">").append(escape(text)).append("</p>\n");
        }

        void table(String[][] rows) {
            sb.append("<table>");
            for (String[] r : rows) {
                sb.append("<tr><td>").append(escape(r[0])).append("</td><td>").append(escape(r[1])).append("</td></tr>");
            }
            sb.append("</table>\n");
        }

        void form(String action, String csrf, Map<String, String> fields, String button) {
            sb.append("<form method=\"post\" action=\"").append(escape(action)).append("\">");
            if (csrf != null) {
                sb.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">");
            }
            fields.forEach((k, v) -> sb.append("<input type=\"hidden\" name=\"").append(escape(k)).append("\" value=\"")
                    .append(escape(v)).append("\">"));
            sb.append("<button type=\"submit\">").append(escape(button)).append("</button></form>");
        }

        void raw(String html) {
            sb.append(html);
        }

        void respond(Exchange exchange, int status) {
            sb.append("</body></html>\n");
            Problems.respond(exchange, status, "text/html; charset=utf-8", sb.toString());
            headers(exchange);
        }

        static void page(Exchange exchange, int status, String title, String text) {
            Html h = new Html(title);
            h.p(null, text);
            h.raw("<p><a href=\"/admin\">Back to the admin page</a></p>\n");
            h.respond(exchange, status);
        }

        static void headers(Exchange exchange) {
            exchange.getMessage().setHeader("Cache-Control", "no-store");
            exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
            exchange.getMessage().setHeader("X-Frame-Options", "DENY");
            exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
            exchange.getMessage().setHeader("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        }
    }
}
