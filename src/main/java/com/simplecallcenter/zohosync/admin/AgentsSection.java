package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.sync.SyncOverview;

import java.util.List;
import java.util.Map;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * Agent mapping: the agents seen in the tenant's calls of the last 30 days (unmapped first), each with a Zoho user to
 * pick from the org's active users. Saved as the tenant's agent map, the one {@code PUT …/admin/agents} replaces, for
 * every instance. The default tenant's map is config/agents.yaml: shown, not edited here.
 */
final class AgentsSection {

    /** The most agents one form shows and saves (the rest keep their mapping). */
    static final int SHOWN = 200;

    private AgentsSection() {
    }

    static void render(AdminHtml h, PageContext c, List<SyncOverview.SeenAgent> seen, Map<String, String> saved) {
        h.section("agents", "Agents", "Who owns each agent's calls in Zoho. Agents seen in calls of the last 30 days; unmapped first.");
        if (seen.isEmpty()) {
            h.p("muted", "No agent seen in calls of the last 30 days.");
        }
        boolean editable = !c.isDefault();
        boolean pick = c.connected() && c.users().error() == null && !c.users().users().isEmpty();
        if (!seen.isEmpty()) {
            if (!editable) {
                h.p("note", "This deployment's agents are mapped in config/agents.yaml (scc.sync.agents-file): edit that file and restart.");
            } else if (!pick) {
                h.p("note", c.connected() ? "Zoho's users could not be read (" + c.users().error() + "): enter Zoho user ids."
                        : "Connect Zoho CRM to pick users by name; until then, enter Zoho user ids.");
            }
            StringBuilder t = new StringBuilder();
            if (editable) {
                t.append(AdminHtml.formStart(c.action("agents"), c.csrf(), c.hidden(), "agents"));
            }
            t.append("<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">Agents and their Zoho users</caption><thead><tr>"
                    + "<th scope=\"col\">Agent</th><th scope=\"col\">Calls (30 days)</th><th scope=\"col\">Zoho user</th></tr></thead><tbody>");
            int i = 0;
            for (SyncOverview.SeenAgent a : seen.subList(0, Math.min(SHOWN, seen.size()))) {
                String label = a.name() != null ? a.name() : a.email() != null ? a.email() : a.key();
                t.append("<tr").append(a.zohoUserId() == null ? " class=\"unmapped\"" : "").append("><th scope=\"row\">")
                        .append(e(label)).append("<div class=\"muted small\">")
                        .append(a.id() == null ? "" : "id " + e(a.id())).append(a.id() != null && a.email() != null ? " · " : "")
                        .append(a.email() == null ? "" : e(a.email())).append("</div></th><td>").append(a.calls()).append("</td><td>");
                String field = "user." + i;
                if (!editable) {
                    t.append(a.zohoUserId() == null ? "<span class=\"badge bad\">not mapped</span>" : e(c.userName(a.zohoUserId())));
                } else {
                    t.append("<input type=\"hidden\" name=\"agent.").append(i).append("\" value=\"").append(e(a.key())).append("\">")
                            .append("<label class=\"sr-only\" for=\"").append(field).append("\">Zoho user for ").append(e(label)).append("</label>");
                    if (pick) {
                        t.append("<select id=\"").append(field).append("\" name=\"").append(field).append("\"><option value=\"\">— not mapped —</option>");
                        boolean found = false;
                        for (ZohoDirectory.User u : c.users().users()) {
                            boolean sel = u.id().equals(a.zohoUserId());
                            found |= sel;
                            t.append("<option value=\"").append(e(u.id())).append("\"").append(sel ? " selected" : "").append(">")
                                    .append(e(u.label())).append("</option>");
                        }
                        if (!found && a.zohoUserId() != null) {
                            t.append("<option value=\"").append(e(a.zohoUserId())).append("\" selected>Zoho user ").append(e(a.zohoUserId()))
                                    .append(" (not active)</option>");
                        }
                        t.append("</select>");
                    } else {
                        t.append("<input id=\"").append(field).append("\" name=\"").append(field).append("\" inputmode=\"numeric\" pattern=\"[0-9]{1,19}\" value=\"")
                                .append(e(a.zohoUserId() == null ? "" : a.zohoUserId())).append("\" placeholder=\"Zoho user id\">");
                    }
                }
                t.append("</td></tr>");
                i++;
            }
            t.append("</tbody></table></div>");
            if (editable) {
                t.append("<input type=\"hidden\" name=\"count\" value=\"").append(i).append("\"><div class=\"actions\"><button type=\"submit\">Save agent mapping</button>"
                        + "<span class=\"muted\"> Every instance uses it within seconds.</span></div></form>");
            }
            h.raw(t.append('\n').toString());
        }
        List<Map.Entry<String, String>> others = saved.entrySet().stream()
                .filter(en -> seen.stream().noneMatch(a -> a.key().equals(en.getKey()))).sorted(Map.Entry.comparingByKey()).toList();
        if (!others.isEmpty()) {
            StringBuilder b = new StringBuilder("<h3>Also mapped (no call in the last 30 days)</h3><ul class=\"plain\">");
            others.stream().limit(50).forEach(en -> b.append("<li>").append(e(en.getKey())).append(" → ").append(e(c.userName(en.getValue())))
                    .append(" <span class=\"muted small\">(").append(e(en.getValue())).append(")</span></li>"));
            b.append("</ul>").append(others.size() > 50 ? "<p class=\"muted\">… and " + (others.size() - 50) + " more (GET /api/v1/tenants/"
                    + e(c.tenant()) + "/admin/agents).</p>" : "");
            h.raw(b.append('\n').toString());
        }
        h.end();
    }
}
