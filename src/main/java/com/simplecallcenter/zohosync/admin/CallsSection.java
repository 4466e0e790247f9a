package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.sync.CallSyncRepository;
import com.simplecallcenter.zohosync.sync.SyncOverview;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.admin.AdminHtml.e;

/**
 * The calls: a test call through the whole path (with its outcome, polled until it is known), the failures by kind
 * (replay all of one), and the last calls with where each went in Zoho (links to the person and the Call) or why not.
 */
final class CallsSection {

    static final int RECENT = 50;

    private CallsSection() {
    }

    /** What the test-call form shows after a refused number: the message and the number as typed. */
    record TestCallInput(String number, String error) {
    }

    static void testCall(AdminHtml h, PageContext c, TestCallInput input, Optional<String> callId,
                         Optional<CallSyncRepository.Recent> call) {
        h.section("test-call", "Test call", "Sends a synthetic answered outbound call of one second through the whole path — "
                + "inbox, sync, Zoho — to the number you enter, marked as a test (call id scc-test-…, tag scc-test).");
        String error = input == null ? null : input.error();
        StringBuilder f = new StringBuilder(AdminHtml.formStart(c.action("test-call"), c.csrf(), c.hidden(), "test-call"));
        f.append("<div class=\"field\"><label for=\"number\">Phone number of the test caller</label><div class=\"row\">")
                .append("<input id=\"number\" name=\"number\" type=\"tel\" autocomplete=\"off\" required maxlength=\"64\" placeholder=\"+1 415 555 0100\" value=\"")
                .append(e(input == null ? "" : input.number())).append("\"")
                .append(error == null ? " aria-describedby=\"number-hint\"" : " aria-invalid=\"true\" aria-describedby=\"number-error\"").append(">")
                .append("<button type=\"submit\">Send test call</button></div>");
        f.append(error == null ? "<div id=\"number-hint\" class=\"muted small\">Numbers without a country code are read as "
                + e(c.settings().defaultRegion()) + ".</div>" : "<div id=\"number-error\" class=\"error-text\" role=\"alert\">" + e(error) + "</div>");
        f.append("</div></form>\n");
        h.raw(f.toString());
        // the result keeps its space whether it is shown or not: the page does not jump when it arrives
        h.raw("<div id=\"test-call-result\" class=\"result\" aria-live=\"polite\">");
        if (callId.isPresent()) {
            h.raw(result(c, callId.get(), call));
        }
        h.raw("</div>\n");
        h.end();
    }

    private static String result(PageContext c, String callId, Optional<CallSyncRepository.Recent> call) {
        String status = call.map(CallSyncRepository.Recent::status).orElse("pending");
        String head = "Test call <code>" + e(callId) + "</code>: ";
        return switch (status) {
            case "synced" -> "<p class=\"ok\">" + head + "written to Zoho. "
                    + call.flatMap(r -> c.zohoLink("Calls", r.zohoCallId())).map(u -> AdminHtml.external(u, "Open the Call in Zoho")).orElse("")
                    + call.flatMap(r -> c.zohoLink(r.zohoModule(), r.zohoRecordId())).map(u -> " · " + AdminHtml.external(u, "Open the "
                    + singular(call.get().zohoModule()))).orElse("") + "</p>";
            case "parked", "dead" -> "<p class=\"bad\">" + head + (status.equals("dead") ? "failed" : "waiting to be retried") + ": <strong>"
                    + e(call.get().errorCode()) + "</strong>" + (call.get().errorField() == null ? "" : " (" + e(call.get().errorField()) + ")")
                    + " — " + e(call.get().errorMessage()) + "</p>";
            // still on its way: the script reloads this box until it is known (or follow the link)
            default -> "<p class=\"pending\" data-poll=\"1\">" + head + "being written to Zoho… "
                    + "<a href=\"" + e(c.up() + "admin?" + (c.isDefault() ? "" : "tenant=" + c.tenant() + "&") + "testcall=" + callId) + "#test-call\">Refresh</a></p>";
        };
    }

    static String singular(String module) {
        return "Leads".equals(module) ? "Lead" : "Contacts".equals(module) ? "Contact" : module == null ? "" : module;
    }

    static void failuresAndRecent(AdminHtml h, PageContext c, Map<String, Long> failureCodes, List<CallSyncRepository.Recent> recent) {
        h.section("calls", "Recent calls", null);
        if (failureCodes.isEmpty()) {
            h.p("muted", "No call is failing.");
        } else {
            StringBuilder b = new StringBuilder("<h3>Failing calls by reason</h3><ul class=\"failures\">");
            failureCodes.forEach((code, n) -> {
                Map<String, String> fields = new LinkedHashMap<>(c.hidden());
                fields.put("code", code);
                b.append("<li><strong>").append(e(code)).append("</strong> · ").append(n).append(n == 1 ? " call " : " calls ")
                        .append(AdminHtml.button(c.action("failures/replay"), c.csrf(), fields, "Replay all " + code, "secondary")).append("</li>");
            });
            h.raw(b.append("</ul><p class=\"muted small\">Fix the cause first (a field, a permission, the connection), then replay.</p>\n").toString());
        }
        if (recent.isEmpty()) {
            h.p("muted", "No call yet.");
            h.end();
            return;
        }
        StringBuilder t = new StringBuilder("<div class=\"scroll\"><table class=\"list calls\"><caption class=\"sr-only\">The last ")
                .append(RECENT).append(" calls, newest first</caption><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Call</th>"
                        + "<th scope=\"col\">Person</th><th scope=\"col\">Owner</th><th scope=\"col\">Status</th><th scope=\"col\">In Zoho</th></tr></thead><tbody>");
        for (CallSyncRepository.Recent r : recent) {
            String number = "inbound".equals(r.direction()) ? r.from() : r.to();
            String person = r.callerName() != null ? r.callerName() : number == null ? "" : number;
            t.append("<tr><td class=\"nowrap\">").append(r.receivedAt() == null ? "" : e(SetupChecklist.TIME.format(r.receivedAt())))
                    .append("</td><td><code>").append(e(r.callId())).append("</code><div class=\"muted small\">")
                    .append(e(r.direction() == null ? "" : r.direction())).append(r.callStatus() == null ? "" : " · " + e(r.callStatus()))
                    .append("</div></td><td>");
            Optional<String> personLink = c.zohoLink(r.zohoModule(), r.zohoRecordId());
            t.append(personLink.map(u -> AdminHtml.external(u, person.isEmpty() ? singular(r.zohoModule()) : person)).orElse(e(person)));
            if (r.zohoModule() != null) {
                t.append("<div class=\"muted small\">").append(e(singular(r.zohoModule()))).append("</div>");
            }
            t.append("</td><td>").append(r.ownerId() == null ? "" : e(c.userName(r.ownerId()))).append("</td><td>")
                    .append("<span class=\"badge ").append(badge(r.status())).append("\">").append(e(r.status())).append("</span>");
            if (r.errorCode() != null && !"synced".equals(r.status())) {
                t.append("<div class=\"small\"><strong>").append(e(r.errorCode())).append("</strong>")
                        .append(r.errorField() == null ? "" : " (" + e(r.errorField()) + ")").append(" ").append(e(r.errorMessage())).append("</div>");
            }
            t.append("</td><td class=\"nowrap\">");
            c.zohoLink("Calls", r.zohoCallId()).ifPresent(u -> t.append(AdminHtml.external(u, "Call")));
            if ("parked".equals(r.status()) || "dead".equals(r.status())) {
                t.append(AdminHtml.button(c.action("calls/" + r.callId() + "/replay"), c.csrf(), c.hidden(), "Replay", "secondary"));
            }
            t.append("</td></tr>");
        }
        h.raw(t.append("</tbody></table></div>\n").toString());
        h.end();
    }

    private static String badge(String status) {
        return switch (status) {
            case "synced" -> "ok";
            case "dead" -> "bad";
            case "parked" -> "warn";
            default -> "off";
        };
    }
}
