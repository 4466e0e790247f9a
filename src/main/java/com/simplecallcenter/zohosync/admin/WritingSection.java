package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.SubjectTemplate;
import com.simplecallcenter.zohosync.features.FeatureSwitches;
import com.simplecallcenter.zohosync.sync.SyncOverview;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * What is written to Zoho: whom to create for an unknown caller, which fields of a matched person may be filled and
 * which overwritten, the default owner, the Call's subject template (with a live preview on a recent call), and the
 * optional routes with their cost. Saved through the tenant's settings, as {@code PATCH /api/v1/tenants/{tenant}/settings}
 * does.
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

    /** What the subject form shows after a refused template: the template as typed and the reason. */
    record SubjectInput(String template, String error) {
    }

    /** The values of an example call, for the preview before the tenant has a call of its own. */
    private static final Map<String, String> EXAMPLE = Map.of("Direction", "Inbound", "direction", "inbound",
            "fromTo", "from +14155550134", "number", "+14155550134", "status", "answered", "agent", "Dana Ruiz", "callId", "example-call");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WritingSection() {
    }

    /**
     * The Call subject: the template in a form, with the subject it gives the most recent call. admin.js renders the
     * template being typed from that call's placeholder values (the {@code data-values} attribute, JSON, escaped) into
     * the preview; saving is what checks it (a refused template comes back with the reason and as typed).
     */
    private static void subject(AdminHtml h, PageContext c, String subjectTemplate, String deploymentTemplate,
                                Optional<SyncOverview.SubjectPreview> subject, SubjectInput input) {
        h.raw("<h3>Call subject</h3>\n");
        String error = input == null ? null : input.error();
        String template = input == null ? subjectTemplate : input.template();
        Map<String, String> values = subject.map(SyncOverview.SubjectPreview::values).orElse(EXAMPLE);
        String json;
        try {
            json = JSON.writeValueAsString(new java.util.TreeMap<>(values));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        StringBuilder f = new StringBuilder(AdminHtml.formStart(c.action("settings"), c.csrf(), c.hidden(), "subject"));
        f.append("<div class=\"field\"><label for=\"subjectTemplate\">Subject of each Call</label>")
                .append("<input id=\"subjectTemplate\" name=\"subjectTemplate\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"")
                .append(SubjectTemplate.MAX_LENGTH).append("\" value=\"").append(e(template)).append("\"")
                .append(error == null ? " aria-describedby=\"subject-help\"" : " aria-invalid=\"true\" aria-describedby=\"subject-error subject-help\"")
                .append(">");
        if (error != null) {
            f.append("<div id=\"subject-error\" class=\"error-text\" role=\"alert\">").append(e(error)).append("</div>");
        }
        f.append("<div id=\"subject-help\" class=\"muted small\">Placeholders: <code>{Direction}</code> (Inbound), <code>{direction}</code> (inbound), ")
                .append("<code>{fromTo}</code> (from +1415… or to +1415…), <code>{number}</code> (the customer's), <code>{status}</code>, ")
                .append("<code>{agent}</code> (the agent's name), <code>{callId}</code>. At most ").append(SubjectTemplate.MAX_LENGTH)
                .append(" characters. Empty: the deployment's template, <code>").append(e(deploymentTemplate))
                .append("</code> (scc.zoho.call-subject-template).</div></div>");
        f.append("<p class=\"subject-preview\"><span class=\"muted\">").append(subject.isPresent()
                        ? "Your last call (" + e(subject.get().callId()) + ") gets:" : "No call yet; an example call gets:")
                .append("</span> <q id=\"subject-preview\" class=\"preview\" aria-live=\"polite\" data-values=\"").append(e(json))
                .append("\" data-fallback=\"").append(e(deploymentTemplate)).append("\">")
                .append(e(subject.map(SyncOverview.SubjectPreview::subject).orElse(SubjectTemplate.render(subjectTemplate, EXAMPLE))))
                .append("</q></p><p id=\"subject-warning\" class=\"error-text\" aria-live=\"polite\" hidden></p>");
        f.append("<div class=\"actions\"><button type=\"submit\">Save the subject</button></div></form>\n");
        h.raw(f.toString());
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

    static void render(AdminHtml h, PageContext c, String subjectTemplate, String deploymentTemplate,
                       Optional<SyncOverview.SubjectPreview> subject, SubjectInput subjectInput, List<FeatureSwitches.Item> features) {
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
        f.append("</fieldset><fieldset><legend>Fields of a matched Lead or Contact that the call may overwrite when they hold another value</legend>")
                .append("<input type=\"hidden\" name=\"overwriteFields.sent\" value=\"1\">");
        PERSON_FIELDS.forEach((api, label) -> f.append("<label class=\"choice\"><input type=\"checkbox\" name=\"overwriteFields.")
                .append(e(api)).append("\" value=\"1\"").append(s.overwriteFields() != null && s.overwriteFields().contains(api) ? " checked" : "")
                .append("> ").append(e(label)).append("</label>"));
        f.append("<p class=\"muted small\">Only with a value the call brings (the caller's name, email, company); none ticked: nothing a person entered in Zoho is replaced.</p></fieldset>");
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

        subject(h, c, subjectTemplate, deploymentTemplate, subject, subjectInput);

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
