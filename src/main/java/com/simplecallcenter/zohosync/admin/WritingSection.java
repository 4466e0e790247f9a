package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.features.FeatureSwitches;
import com.simplecallcenter.zohosync.sync.SyncOverview;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * What is written to Zoho: whom to create for an unknown caller, which fields of a matched person may be filled, the
 * default owner, the Call's subject (with the one a recent call gets), and the optional routes with their cost. Saved
 * through the tenant's settings, as {@code PATCH /api/v1/tenants/{tenant}/settings} does.
 */
final class WritingSection {

    /** The fields updateFields may list (the tenant API's rule), with what an admin calls them. */
    static final Map<String, String> PERSON_FIELDS = labels();
    /** Zoho API cost per call of each optional route (README, "Optional routes"). */
    private static final Map<String, String> COST = Map.of(
            "followup-tasks", "0 when nothing applies; 1 insert per kind of Task, once per call",
            "deal-links", "1–2 reads per Contact per cache period, 0 on a cache hit",
            "recording-links", "0 in the Description; 1 insert per Note, once",
            "contact-updates", "0, or 1 update",
            "reconcile", "≤ 15 credits per run (hourly), not per call");

    private WritingSection() {
    }

    private static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Phone", "Phone");
        m.put("Email", "Email");
        m.put("First_Name", "First name");
        m.put("Last_Name", "Last name");
        m.put("Company", "Company (Leads)");
        return m;
    }

    static void render(AdminHtml h, PageContext c, String subjectTemplate, Optional<SyncOverview.SubjectPreview> subject,
                       List<FeatureSwitches.Item> features) {
        AdminTenants.Settings s = c.settings();
        h.section("writing", "What is written to Zoho", null);
        StringBuilder f = new StringBuilder(AdminHtml.formStart(c.action("settings"), c.csrf(), c.hidden(), "settings"));
        f.append("<fieldset><legend>An unknown caller becomes</legend>");
        for (String[] o : new String[][]{{"Leads", "a Lead"}, {"Contacts", "a Contact"}, {"none", "nothing (the Call is logged without a person)"}}) {
            f.append("<label class=\"choice\"><input type=\"radio\" name=\"createMissing\" value=\"").append(o[0]).append("\"")
                    .append(o[0].equals(s.createMissing()) ? " checked" : "").append("> ").append(e(o[1])).append("</label>");
        }
        f.append("</fieldset><fieldset><legend>Fields of a matched Lead or Contact that the call may fill when empty</legend>")
                .append("<input type=\"hidden\" name=\"updateFields.sent\" value=\"1\">");
        PERSON_FIELDS.forEach((api, label) -> f.append("<label class=\"choice\"><input type=\"checkbox\" name=\"updateFields.")
                .append(e(api)).append("\" value=\"1\"").append(s.updateFields() != null && s.updateFields().contains(api) ? " checked" : "")
                .append("> ").append(e(label)).append("</label>"));
        f.append("<p class=\"muted small\">Overwriting a field that holds a value is the deployment's choice (scc.zoho.overwrite-fields).</p></fieldset>");
        f.append("<div class=\"field\"><label for=\"defaultOwnerId\">Default owner (calls of unmapped agents)</label>");
        boolean pick = c.connected() && c.users().error() == null && !c.users().users().isEmpty();
        if (pick) {
            f.append("<select id=\"defaultOwnerId\" name=\"defaultOwnerId\"><option value=\"\">— whoever connected Zoho —</option>");
            boolean found = false;
            for (ZohoDirectory.User u : c.users().users()) {
                boolean sel = u.id().equals(s.defaultOwnerId());
                found |= sel;
                f.append("<option value=\"").append(e(u.id())).append("\"").append(sel ? " selected" : "").append(">").append(e(u.label())).append("</option>");
            }
            if (!found && s.defaultOwnerId() != null) {
                f.append("<option value=\"").append(e(s.defaultOwnerId())).append("\" selected>Zoho user ").append(e(s.defaultOwnerId()))
                        .append(" (not active)</option>");
            }
            f.append("</select>");
        } else {
            f.append("<input id=\"defaultOwnerId\" name=\"defaultOwnerId\" inputmode=\"numeric\" pattern=\"[0-9]{1,19}\" value=\"")
                    .append(e(s.defaultOwnerId() == null ? "" : s.defaultOwnerId())).append("\" placeholder=\"Zoho user id\" aria-describedby=\"owner-hint\">")
                    .append("<div id=\"owner-hint\" class=\"muted small\">Connect Zoho CRM to pick a user by name.</div>");
        }
        f.append("</div><div class=\"actions\"><button type=\"submit\">Save what is written</button></div></form>\n");
        h.raw(f.toString());

        h.raw("<h3>Call subject</h3>\n");
        if (subject.isEmpty()) {
            h.p("muted", "No call yet: the subject follows the template below.");
        }
        h.raw("<table class=\"facts\"><tbody><tr><th scope=\"row\">Template</th><td><code>"
                + e(subjectTemplate) + "</code> <span class=\"muted small\">(scc.zoho.call-subject-template)</span></td></tr>"
                + subject.map(p -> "<tr><th scope=\"row\">Your last call</th><td><q class=\"preview\">" + e(p.subject()) + "</q> <span class=\"muted small\">("
                + e(p.callId()) + ")</span></td></tr>").orElse("") + "</tbody></table>\n");

        h.raw("<h3>Optional routes</h3>\n<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">Optional routes</caption><thead><tr>"
                + "<th scope=\"col\">Route</th><th scope=\"col\">Zoho API cost per call</th><th scope=\"col\">State</th></tr></thead><tbody>");
        for (FeatureSwitches.Item item : features) {
            Map<String, String> fields = new LinkedHashMap<>(c.hidden());
            fields.put("enabled", String.valueOf(!item.enabled()));
            h.raw("<tr><th scope=\"row\">" + e(item.name()) + "<div class=\"muted small\">" + e(item.description()) + "</div></th><td>"
                    + e(COST.getOrDefault(item.name(), "")) + "</td><td class=\"nowrap\"><span class=\"badge " + (item.enabled() ? "ok\">on" : "off\">off")
                    + "</span> " + AdminHtml.button(c.action("features/" + item.name()), c.csrf(), fields,
                    item.enabled() ? "Switch off" : "Switch on", "secondary") + "</td></tr>");
        }
        h.raw("</tbody></table></div>\n");
        h.end();
    }
}
