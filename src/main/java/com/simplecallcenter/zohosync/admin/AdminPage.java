package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.features.FeatureSwitches;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.sync.CallSyncRepository;
import com.simplecallcenter.zohosync.sync.Reconciler;
import com.simplecallcenter.zohosync.sync.SyncAdmin;
import com.simplecallcenter.zohosync.sync.SyncOverview;
import com.simplecallcenter.zohosync.zoho.ZohoCredits;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * The admin page, {@code /admin}: what a call-centre admin does in a browser. Sign in once (a session cookie, see
 * {@link AdminAuth}) with a tenant admin token, to see that tenant only, or with the operator's (SCC_ADMIN_TOKEN), to
 * see the list of tenants and open any of them ({@code ?tenant=}; the tenant default without one). A tenant's page:
 * the setup checklist, the Zoho connection, agent mapping, what is written to Zoho (settings and optional routes), a
 * test call, the recent calls and failures (replay one or all of a kind), reconciliation. Every action is a form POST
 * with the session's CSRF token, answered 303 back to the page with a message (post/redirect/get), or the page again
 * with a 4xx and the reason when the input is refused (nothing is changed then). The page reads and acts through the
 * same beans as the JSON admin API; everything shown is HTML-escaped; the page is never cached or framed, and its CSP
 * allows only our own stylesheet and script. The sections are rendered by small classes of this package.
 */
public final class AdminPage {

    private static final Logger LOG = LoggerFactory.getLogger("scc.admin");
    private static final int MAX_FORM = 64 * 1024;
    private static final int AGENT_DAYS = 30;
    private static final String DEFAULT = Tenancy.DEFAULT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminAuth auth;
    private final String publicBaseUrl;
    private final ZohoOrgs orgs;
    private final FeatureSwitches switches;
    private final SyncAdmin sync;
    private final SyncOverview overview;
    private final Reconciler reconciler;
    private final AdminTenants tenants;
    private final ZohoDirectory zoho;

    public AdminPage(AdminAuth auth, String publicBaseUrl, ZohoOrgs orgs, FeatureSwitches switches, SyncAdmin sync,
                     SyncOverview overview, Reconciler reconciler, AdminTenants tenants, Duration zohoCacheTtl) {
        this.auth = auth;
        String url = publicBaseUrl == null ? "" : publicBaseUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("http:") && !java.util.regex.Pattern.compile("^http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:|/|$)").matcher(url).find()) {
            LOG.warn("the admin page needs https: its session cookie is Secure, so browsers keep it only over https "
                    + "(or http to localhost); SCC_PUBLIC_BASE_URL is plain http");
        }
        this.publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl;
        this.orgs = orgs;
        this.switches = switches;
        this.sync = sync;
        this.overview = overview;
        this.reconciler = reconciler;
        this.tenants = tenants;
        this.zoho = new ZohoDirectory(orgs, zohoCacheTtl);
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
            AdminHtml.page(exchange, 404, "No such tenant", "There is no active tenant by that name.");
            return null;
        }
        return named;
    }

    private static Map<String, String> query(Exchange exchange) {
        String q = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        return parse(q == null ? "" : q);
    }

    /** The page's address for a tenant after an action, relative to the form's path, with the message to show. */
    private static String back(Exchange exchange, String tenant, String done, String extra, String anchor) {
        return AdminHtml.up(exchange) + "admin?done=" + done + (DEFAULT.equals(tenant) ? "" : "&tenant=" + tenant)
                + (extra == null ? "" : "&" + extra) + (anchor == null ? "" : "#" + anchor);
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
            page(exchange, session.get(), tenant, 200, flash(exchange), null, null);
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
        } catch (ProblemException tooMany) {
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
        zoho.forget(a.tenant());
        LOG.info("admin page: tenant={} Zoho disconnected", a.tenant());
        redirect(exchange, back(exchange, a.tenant(), "disconnected", null, null), null);
    }

    /** POST /admin/zoho/recheck: read Zoho's users and fields afresh (the admin fixed something in Zoho). */
    public void recheck(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        zoho.forget(a.tenant());
        redirect(exchange, back(exchange, a.tenant(), "rechecked", null, "setup"), null);
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
            AdminHtml.page(exchange, 400, "Not changed", "There is no optional route by that name, or the form was not sent from this page.");
            return;
        }
        switches.set(a.tenant(), name, Boolean.parseBoolean(enabled));
        LOG.info("admin page: tenant={} feature {} {}", a.tenant(), name, Boolean.parseBoolean(enabled) ? "on" : "off");
        redirect(exchange, back(exchange, a.tenant(), "feature", "name=" + name + "&on=" + enabled, "writing"), null);
    }

    /** POST /admin/calls/{callId}/replay. */
    public void replay(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        String callId = exchange.getMessage().getHeader("callId", String.class);
        if (!sync.replay(a.tenant(), callId)) {
            AdminHtml.page(exchange, 404, "No such call", "There is no call with that id.");
            return;
        }
        LOG.info("admin page: tenant={} replay of call {}", a.tenant(), callId);
        redirect(exchange, back(exchange, a.tenant(), "replayed", null, "calls"), null);
    }

    /** POST /admin/failures/replay (form {@code code}): every parked and dead call that failed with that code. */
    public void replayAll(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        String code = a.form().get("code");
        if (code == null || !code.matches("[A-Za-z0-9_.-]{1,64}")) {
            AdminHtml.page(exchange, 400, "Not replayed", "Name the kind of failure (its error code) to replay.");
            return;
        }
        int n = overview.replayAll(a.tenant(), code);
        LOG.info("admin page: tenant={} replay of {} call(s) failed with {}", a.tenant(), n, code);
        redirect(exchange, back(exchange, a.tenant(), "replayedAll", "n=" + n + "&code=" + code, "calls"), null);
    }

    /** POST /admin/agents (form {@code count}, {@code agent.i}, {@code user.i}): the tenant's agent map, as PUT …/admin/agents. */
    public void agents(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        if (DEFAULT.equals(a.tenant())) {
            AdminHtml.page(exchange, 409, "Not changed", "This deployment's agents are mapped in config/agents.yaml: edit that file.");
            return;
        }
        int count;
        try {
            count = Integer.parseInt(a.form().getOrDefault("count", ""));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > AgentsSection.SHOWN) {
            AdminHtml.page(exchange, 400, "Not changed", "The form was not sent from this page. Reload the page and try again.");
            return;
        }
        Map<String, String> map = new LinkedHashMap<>(tenants.agents(a.tenant()));
        for (int i = 0; i < count; i++) {
            String agent = a.form().get("agent." + i);
            String user = a.form().getOrDefault("user." + i, "").trim();
            if (agent == null || agent.isBlank()) {
                continue;
            }
            if (user.isEmpty()) {
                map.remove(agent);
            } else {
                map.put(agent, user);
            }
        }
        try {
            tenants.putAgents(a.tenant(), map);
        } catch (ProblemException refused) {
            refusedPage(exchange, a, refused, null);
            return;
        }
        LOG.info("admin page: tenant={} agent map saved ({} agents)", a.tenant(), map.size());
        redirect(exchange, back(exchange, a.tenant(), "agents", null, "agents"), null);
    }

    /**
     * POST /admin/settings: createMissing, updateFields, overwriteFields, defaultOwnerId (the settings form) or
     * subjectTemplate (the subject form; empty clears it), as PATCH /api/v1/tenants/{t}/settings.
     */
    public void settings(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        ObjectNode patch = JSON.createObjectNode();
        Map<String, String> f = a.form();
        if (f.containsKey("createMissing")) {
            patch.put("createMissing", f.get("createMissing"));
        }
        if (f.containsKey("updateFields.sent")) {
            ArrayNode fields = patch.putArray("updateFields");
            WritingSection.PERSON_FIELDS.keySet().stream().filter(k -> f.containsKey("updateFields." + k)).forEach(fields::add);
        }
        if (f.containsKey("overwriteFields.sent")) {
            ArrayNode fields = patch.putArray("overwriteFields");
            WritingSection.PERSON_FIELDS.keySet().stream().filter(k -> f.containsKey("overwriteFields." + k)).forEach(fields::add);
        }
        String template = f.get("subjectTemplate");
        if (template != null) {
            // empty: back to the deployment's template
            if (template.isBlank()) {
                patch.putNull("subjectTemplate");
            } else {
                patch.put("subjectTemplate", template);
            }
        }
        if (f.containsKey("defaultOwnerId")) {
            String owner = f.get("defaultOwnerId").trim();
            if (owner.isEmpty()) {
                patch.putNull("defaultOwnerId");
            } else {
                patch.put("defaultOwnerId", owner);
            }
        }
        try {
            tenants.updateSettings(a.tenant(), patch);
        } catch (ProblemException refused) {
            // the subject form comes back with the template as typed and the reason under it
            WritingSection.SubjectInput typed = template == null ? null : new WritingSection.SubjectInput(template,
                    refused.errors().stream().filter(err -> err.field().equals("subjectTemplate"))
                            .map(err -> "The template " + err.message()).findFirst().orElse(refused.getMessage()));
            refusedPage(exchange, a, refused, typed);
            return;
        }
        LOG.info("admin page: tenant={} settings saved", a.tenant());
        redirect(exchange, back(exchange, a.tenant(), template == null ? "settings" : "subject", null, "writing"), null);
    }

    /** POST /admin/test-call (form {@code number}): a synthetic call through the whole path; the page then follows it. */
    public void testCall(Exchange exchange) {
        Acting a = authorized(exchange);
        if (a == null) {
            return;
        }
        String number = a.form().getOrDefault("number", "");
        String callId;
        try {
            callId = overview.testCall(a.tenant(), number);
        } catch (SyncOverview.InvalidNumber invalid) {
            AdminAuth.Session session = auth.session(exchange).orElseThrow();
            page(exchange, session, a.tenant(), 400, null, new CallsSection.TestCallInput(number, invalid.getMessage()), null);
            return;
        }
        LOG.info("admin page: tenant={} test call {} sent", a.tenant(), callId);
        redirect(exchange, back(exchange, a.tenant(), "testcall", "testcall=" + callId, "test-call"), null);
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
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] bytes && bytes.length > MAX_FORM) {
            AdminHtml.page(exchange, 413, "Not changed", "The form is too large.");
            return null;
        }
        Map<String, String> form = form(exchange);
        if (!auth.validCsrf(session.get().value(), form.get("csrf"))) {
            AdminHtml.page(exchange, 403, "Refused", "This form did not come from the admin page (CSRF token missing or wrong). Reload the page and try again.");
            return null;
        }
        String tenant = tenantOf(exchange, session.get(), form);
        return tenant == null ? null : new Acting(form, tenant);
    }

    /** The page again, with the reasons the input was refused (a 4xx; nothing was changed). */
    private void refusedPage(Exchange exchange, Acting a, ProblemException refused, WritingSection.SubjectInput subjectInput) {
        StringBuilder why = new StringBuilder("Nothing was changed: ").append(refused.getMessage());
        refused.errors().forEach(err -> why.append(" · ").append(err.field()).append(" ").append(err.message()));
        AdminAuth.Session session = auth.session(exchange).orElseThrow();
        page(exchange, session, a.tenant(), refused.status() >= 400 && refused.status() < 500 ? refused.status() : 400, why.toString(), null,
                subjectInput);
    }

    private void page(Exchange exchange, AdminAuth.Session session, String tenant, int status, String flash,
                      CallsSection.TestCallInput testInput, WritingSection.SubjectInput subjectInput) {
        String up = AdminHtml.up(exchange);
        String csrf = auth.csrf(session.value());
        ObjectNode status0 = orgs.of(tenant).oauth().status();
        boolean connected = "connected".equals(status0.path("state").asText());
        ZohoDirectory.Users users = connected ? zoho.users(tenant) : new ZohoDirectory.Users(List.of(), null);
        PageContext c = new PageContext(tenant, session.isOperator(), csrf, up, status0, tenants.settings(tenant), users, publicBaseUrl);

        String header = "<span class=\"who\">Tenant <strong>" + e(tenant) + "</strong>" + (session.isOperator() ? " (operator)" : "")
                + "</span>" + AdminHtml.button(up + "admin/logout", null, Map.of(), "Sign out", "link");
        AdminHtml h = new AdminHtml("Admin · " + tenant + " · scc-zoho-sync", header, up);
        h.raw("<nav class=\"sections\" aria-label=\"Sections\"><a href=\"#setup\">Setup</a><a href=\"#zoho\">Zoho</a><a href=\"#agents\">Agents</a>"
                + "<a href=\"#writing\">What is written</a><a href=\"#test-call\">Test call</a><a href=\"#calls\">Calls</a></nav>\n");
        // the message of the last action, or the reason the input was refused; its place is always there
        boolean error = status >= 400;
        h.raw("<div class=\"flash-slot\">");
        if (flash != null) {
            h.flash(flash, error);
        }
        h.raw("</div>\n");
        if (session.isOperator()) {
            tenantList(h, tenant, up);
        }

        List<SyncOverview.SeenAgent> agents = overview.agents(tenant, AGENT_DAYS);
        SetupChecklist.render(h, c, zoho, tenants.providers(tenant), overview.lastEventBySource(tenant), agents);
        connection(h, c);
        AgentsSection.render(h, c, agents, tenants.agents(tenant));
        WritingSection.render(h, c, overview.subjectTemplate(tenant), overview.deploymentSubjectTemplate(), overview.subjectPreview(tenant), subjectInput, switches.items(tenant));
        Optional<String> testCallId = Optional.ofNullable(query(exchange).get("testcall"))
                .filter(id -> id.startsWith(SyncOverview.TEST_PREFIX) && id.matches("[A-Za-z0-9._:-]{1,200}"));
        CallsSection.testCall(h, c, testInput, testCallId, testCallId.flatMap(id -> overview.call(tenant, id)));
        CallsSection.failuresAndRecent(h, c, overview.failureCodes(tenant), overview.recent(tenant, CallsSection.RECENT));
        reconciliation(h, c);
        h.respond(exchange, status);
    }

    /** The Zoho connection: state, who, where, credits; connect, reconnect, disconnect. */
    private void connection(AdminHtml h, PageContext c) {
        JsonNode z = c.zoho();
        String state = z.path("state").asText();
        h.section("zoho", "Zoho CRM connection", null);
        h.raw("<p class=\"state " + e(state) + "\">" + e(switch (state) {
            case "connected" -> "Connected";
            case "broken" -> "Broken: " + z.path("brokenReason").asText("reconnect");
            default -> "Not connected";
        }) + "</p>\n");
        if (!state.equals("disconnected")) {
            JsonNode user = z.path("user");
            h.facts(new String[][]{
                    {"Zoho user", user.isObject() ? (user.path("email").asText("") + " " + user.path("name").asText("")).trim() : ""},
                    {"data centre", z.path("location").asText("").toUpperCase(Locale.ROOT) + " · " + z.path("accountsUrl").asText("")},
                    {"API domain", z.path("apiDomain").asText("")},
                    {"connected at", z.path("connectedAt").asText("")},
                    {"last token refresh", z.path("lastRefreshAt").asText("")},
                    {"scopes", String.join(", ", texts(z.path("scopes")))}});
        }
        // the rolling 24 h window of the org's API credits (scc.zoho.daily-credits); warned from 80 %
        ZohoCredits.Usage credits = orgs.credits().usage(c.tenant());
        h.p(credits.ratio() >= ZohoCredits.WARN_AT ? "note" : "muted", "Zoho API credits used today: " + credits.used()
                + (credits.budget() > 0 ? " of " + credits.budget() : " (no budget set)")
                + (credits.exhausted() ? ", spent: calls wait until the rolling 24 h window frees credits"
                : credits.ratio() >= ZohoCredits.WARN_AT ? ", over 80 % of the daily budget" : ""));
        // a plain link: the connect redirect accepts this session's cookie (SameSite=Strict is sent on our own links)
        h.raw("<div class=\"actions\"><a class=\"button\" href=\"" + e(c.up()) + "oauth/zoho/connect"
                + (c.isDefault() && c.operator() ? "" : "?tenant=" + e(c.tenant())) + "\">"
                + (state.equals("connected") ? "Reconnect Zoho CRM" : "Connect Zoho CRM") + "</a>"
                + (state.equals("disconnected") ? "" : AdminHtml.button(c.action("zoho/disconnect"), c.csrf(), c.hidden(), "Disconnect (revoke at Zoho)", "danger"))
                + "</div><p class=\"muted small\">Sign in at Zoho as the user the service should act as, and approve.</p>\n");
        CallSyncRepository.Counts n = sync.repository().counts(c.tenant());
        h.raw("<h3>Calls by state</h3>\n");
        h.facts(new String[][]{{"pending", String.valueOf(n.pending() + n.waiting())}, {"synced", String.valueOf(n.synced())},
                {"parked (retried automatically)", String.valueOf(n.parked())}, {"dead (need a person, then a replay)", String.valueOf(n.dead())}});
        h.end();
    }

    private void reconciliation(AdminHtml h, PageContext c) {
        h.section("reconcile", "Reconciliation with Zoho", null);
        var last = reconciler.last(c.tenant());
        if (last.isEmpty()) {
            h.p("muted", "Not run yet (scheduled every scc.reconcile.interval; POST " + (c.isDefault() ? "/api/v1/admin/reconcile"
                    : "/api/v1/tenants/" + c.tenant() + "/admin/reconcile") + " runs it now).");
        } else {
            JsonNode r = report(last.get().report());
            h.facts(new String[][]{{"last run", last.get().finishedAt().toString() + " (Calls created since " + r.path("since").asText() + ")"},
                    {"Calls checked", r.path("checked").asText() + (r.path("truncated").asBoolean() ? " (stopped at the page cap: not all read)" : "")},
                    {"deleted in Zoho", ids(r.path("deleted"), "callId")},
                    {"several Calls for one call", ids(r.path("duplicates"), "callId")},
                    {"adopted (Call we had not recorded)", ids(r.path("adopted"), "callId")}});
        }
        h.end();
    }

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
    private void tenantList(AdminHtml h, String current, String up) {
        StringBuilder b = new StringBuilder("<nav class=\"tenants\" aria-labelledby=\"tenants-h\"><h2 id=\"tenants-h\">Tenants</h2><ul>");
        for (AdminTenants.Row t : tenants.list()) {
            String href = up + (DEFAULT.equals(t.id()) ? "admin" : "admin?tenant=" + t.id());
            boolean here = t.id().equals(current);
            b.append("<li>").append("disabled".equals(t.state()) ? e(t.id())
                            : "<a href=\"" + e(href) + "\"" + (here ? " aria-current=\"page\"" : "") + ">" + e(t.id()) + "</a>")
                    .append(" <span class=\"muted\">").append(e(t.name() == null ? "" : t.name())).append("</span> <span class=\"badge ")
                    .append("connected".equals(t.state()) ? "ok" : "disabled".equals(t.state()) ? "off" : "bad").append("\">")
                    .append(e(t.state())).append("</span></li>");
        }
        h.raw(b.append("</ul></nav>\n").toString());
    }

    private static String flash(Exchange exchange) {
        Map<String, String> q = query(exchange);
        return switch (q.getOrDefault("done", "")) {
            case "disconnected" -> "Zoho CRM was disconnected.";
            case "feature" -> "Optional route " + q.getOrDefault("name", "") + " switched " + ("true".equals(q.get("on")) ? "on" : "off")
                    + ". Every instance follows within seconds.";
            case "replayed" -> "The call is being synced again.";
            case "replayedAll" -> q.getOrDefault("n", "0") + " call(s) that failed with " + q.getOrDefault("code", "") + " are being synced again.";
            case "agents" -> "Agent mapping saved. Every instance uses it within seconds.";
            case "settings" -> "Saved. New calls are written this way within seconds.";
            case "subject" -> "Call subject saved. New Calls get it within seconds.";
            case "testcall" -> "Test call sent. Its outcome shows below.";
            case "rechecked" -> "Zoho was asked again.";
            default -> null;
        };
    }

    private void signIn(Exchange exchange, int status, String message) {
        String up = AdminHtml.up(exchange);
        AdminHtml h = new AdminHtml("Sign in · scc-zoho-sync admin", null, up);
        h.raw("<div class=\"narrow\">");
        h.h1("Sign in");
        if (message != null) {
            h.flash(message, status >= 400);
        }
        h.raw(AdminHtml.formStart(up + "admin/login", null, Map.of(), "signin")
                + "<div class=\"field\"><label for=\"token\">Admin token</label>"
                + "<input id=\"token\" type=\"password\" name=\"token\" autocomplete=\"current-password\" required aria-describedby=\"token-hint\">"
                + "<div id=\"token-hint\" class=\"muted small\">Your tenant's admin token, or the operator's SCC_ADMIN_TOKEN.</div></div>"
                + "<div class=\"actions\"><button type=\"submit\">Sign in</button></div></form></div>\n");
        h.respond(exchange, status);
    }

    private static void disabled(Exchange exchange) {
        AdminHtml.page(exchange, 404, "Admin page disabled", "Set SCC_ADMIN_TOKEN to enable the admin page and the admin API.");
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

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
