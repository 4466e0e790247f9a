package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.sync.SyncOverview;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * The setup checklist at the top of a tenant's page: each line green (done) or red (with the fix), so an admin sees at
 * a glance what stands between them and calls in Zoho.
 */
final class SetupChecklist {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** The canonical webhook and the providers, as the admin knows them. */
    private static final Map<String, String> NAMES = Map.of("canonical", "Canonical call events (any system that signs them)",
            "twilio", "Twilio", "aircall", "Aircall", "ringcentral", "RingCentral", "vonage", "Vonage", "asterisk", "Asterisk / FreePBX",
            "3cx", "3CX");

    private SetupChecklist() {
    }

    record Line(boolean ok, String title, String detailHtml) {
    }

    static void render(AdminHtml h, PageContext c, ZohoDirectory zoho, List<String> providers, Map<String, Instant> lastEvents,
                       List<SyncOverview.SeenAgent> agents) {
        h.section("setup", "Setup checklist", null);
        h.raw("<ul class=\"checklist\">\n");
        line(h, connection(c));
        line(h, callIdField(c, zoho));
        line(h, defaultOwner(c));
        line(h, unmapped(agents));
        h.raw("</ul>\n");
        webhooks(h, c, providers, lastEvents);
        h.raw("<div class=\"actions\">" + AdminHtml.button(c.action("zoho/recheck"), c.csrf(), c.hidden(), "Check again", "secondary")
                + "<span class=\"muted\"> Zoho's answers are kept a few minutes (they cost API credits).</span></div>\n");
        h.end();
    }

    private static void line(AdminHtml h, Line l) {
        h.raw("<li class=\"" + (l.ok() ? "ok" : "bad") + "\"><span class=\"mark\" aria-hidden=\"true\">" + (l.ok() ? "✓" : "✗")
                + "</span><span class=\"sr-only\">" + (l.ok() ? "Done: " : "To do: ") + "</span><div><strong>" + e(l.title())
                + "</strong><div class=\"detail\">" + l.detailHtml() + "</div></div></li>\n");
    }

    private static Line connection(PageContext c) {
        JsonNode z = c.zoho();
        String state = z.path("state").asText();
        if (state.equals("connected")) {
            JsonNode u = z.path("user");
            String who = u.isObject() ? (u.path("name").asText("") + " <" + u.path("email").asText("") + ">").trim() : "";
            String dc = z.path("location").asText("");
            return new Line(true, "Zoho CRM connected", "As " + e(who) + " · data centre " + e(dc.isEmpty() ? "?" : dc.toUpperCase())
                    + " (" + e(z.path("accountsUrl").asText("")) + ")");
        }
        String fix = "<a href=\"#zoho\">Connect Zoho CRM</a> below and approve at Zoho, signed in as the user the service should act as.";
        return new Line(false, state.equals("broken") ? "Zoho CRM connection broken" : "Zoho CRM not connected",
                (state.equals("broken") ? e(z.path("brokenReason").asText("Zoho refused the refresh token")) + ". " : "") + fix);
    }

    private static Line callIdField(PageContext c, ZohoDirectory zoho) {
        String field = c.settings().callIdField();
        String title = "Call-id field " + field + " on Calls and Tasks";
        if (!c.connected()) {
            return new Line(false, title, "Checked through Zoho's fields API once Zoho CRM is connected.");
        }
        StringBuilder missing = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        for (String module : List.of("Calls", "Tasks")) {
            ZohoDirectory.FieldCheck f = zoho.field(c.tenant(), module, field);
            if (f.error() != null) {
                errors.append(e(module)).append(": ").append(e(f.error())).append(". ");
            } else if (!f.exists()) {
                missing.append(missing.isEmpty() ? "" : " and ").append(e(module));
            }
        }
        if (errors.isEmpty() && missing.isEmpty()) {
            return new Line(true, title, "Found on both modules: each Call and Task carries the call id, so none is written twice.");
        }
        String fix = missing.isEmpty() ? "" : "Missing on " + missing + ". In Zoho CRM: Setup → Customization → Modules and Fields → "
                + "the module → add a <em>Single Line</em> field labelled <code>" + e(field.replace('_', ' ')) + "</code> (its API name must be <code>"
                + e(field) + "</code>), then <em>Check again</em>. ";
        return new Line(false, title, fix + errors);
    }

    private static Line defaultOwner(PageContext c) {
        String id = c.settings().defaultOwnerId();
        if (id == null) {
            return new Line(false, "Default owner", "Not set: calls of unmapped agents are owned by whoever connected Zoho. "
                    + "<a href=\"#writing\">Choose a default owner</a>.");
        }
        if (c.connected() && c.users().error() == null && c.users().byId(id).isEmpty()) {
            return new Line(false, "Default owner", "Zoho user " + e(id) + " is not an active user of the org. "
                    + "<a href=\"#writing\">Choose another</a>.");
        }
        return new Line(true, "Default owner", "Calls of unmapped agents go to " + e(c.userName(id)) + ".");
    }

    private static Line unmapped(List<SyncOverview.SeenAgent> agents) {
        long n = agents.stream().filter(a -> a.zohoUserId() == null).count();
        if (n == 0) {
            return new Line(true, "Agents mapped", agents.isEmpty() ? "No agent seen in calls of the last 30 days yet."
                    : "Every agent seen in the last 30 days owns their calls in Zoho.");
        }
        return new Line(false, n + (n == 1 ? " agent" : " agents") + " not mapped",
                "Seen in calls but without a Zoho user: their calls go to the default owner. <a href=\"#agents\">Map them</a>.");
    }

    /** Each switched-on provider's URL, ready to copy, with the time its last webhook arrived. */
    private static void webhooks(AdminHtml h, PageContext c, List<String> providers, Map<String, Instant> lastEvents) {
        h.raw("<h3>Webhook URLs</h3>\n<p class=\"intro\">Paste the URL into your telephony system. Only switched-on providers are listed"
                + (c.isDefault() ? " (their secrets are set in the configuration, e.g. SCC_TWILIO_AUTH_TOKEN)."
                : " (set a provider's secret with PATCH /api/v1/tenants/" + e(c.tenant()) + "/settings).") + "</p>\n<ul class=\"checklist webhooks\">\n");
        java.util.List<String> sources = new java.util.ArrayList<>();
        sources.add("canonical");
        sources.addAll(providers);
        for (String p : sources) {
            Instant last = lastEvents.get(p);
            String url = c.webhookUrl(p.equals("canonical") ? null : p);
            String id = "url-" + p;
            h.raw("<li class=\"" + (last != null ? "ok" : "bad") + "\"><span class=\"mark\" aria-hidden=\"true\">" + (last != null ? "✓" : "✗")
                    + "</span><div class=\"grow\"><label for=\"" + e(id) + "\"><strong>" + e(NAMES.getOrDefault(p, p)) + "</strong></label>"
                    + "<div class=\"copy\"><input id=\"" + e(id) + "\" type=\"text\" readonly value=\"" + e(url) + "\">"
                    + "<button type=\"button\" class=\"secondary\" data-copy=\"" + e(id) + "\">Copy</button></div>"
                    + "<div class=\"detail\">" + (last != null ? "Last webhook arrived " + e(TIME.format(last)) + "."
                    : "No webhook has arrived yet: configure this URL in " + e(NAMES.getOrDefault(p, p)) + ", then make a call.")
                    + "</div></div></li>\n");
        }
        h.raw("</ul>\n");
    }
}
