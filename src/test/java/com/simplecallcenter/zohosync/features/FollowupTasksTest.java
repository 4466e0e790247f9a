package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Follow-up Tasks against the sandbox over HTTP: each kind, off, exactly one under retries, updates and lost answers. */
class FollowupTasksTest {

    private static final String PAT_PHONE = "+14155550134";

    @Test
    void eachKindOfTaskAndNoneWhileOff() throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (AppHarness h = AppHarness.on("t_feat_tasks").fastFeatureRefresh().seed(sb -> {
            ids.put("desk", sb.addUser("desk@acme.example", "Front Desk", "active"));
            ids.put("lead", sb.addUser("lead@acme.example", "Team Lead", "active"));
            ids.put("dana", sb.addUser("dana@acme.example", "Dana Ruiz", "active"));
            ids.put("pat", sb.seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Lee", "Phone", PAT_PHONE,
                    "Email", "pat@example.com")));
            return Map.of("scc.followup-tasks.fallback-owner-id", ids.get("desk"),
                    "scc.followup-tasks.escalation-owner-id", ids.get("lead"),
                    "scc.followup-tasks.due-business-days", "2");
        }).start()) {
            // off by default: a missed call is logged, no Task
            h.post(CanonicalEvent.ended("t-off").from(PAT_PHONE).status("missed"));
            h.awaitSynced("t-off");
            assertThat(h.onlyCall("t-off").get("Call_Type")).isEqualTo("Missed");
            assertThat(h.sandbox().records("Tasks")).isEmpty();

            h.setFeature("followup-tasks", true);

            // missed inbound call from a Contact: Who_Id, fallback owner (no agent), due 2 business days later
            h.post(CanonicalEvent.ended("t-missed").from(PAT_PHONE).status("missed"));
            h.awaitSynced("t-missed");
            Map<String, Object> task = only(h.tasks("t-missed"));
            assertThat(task.get("Subject")).isEqualTo("Call back Pat Lee");
            assertThat(AppHarness.id(task.get("Who_Id"))).isEqualTo(ids.get("pat"));
            assertThat(task.get("What_Id")).isNull();
            assertThat(AppHarness.id(task.get("Owner"))).isEqualTo(ids.get("desk"));
            assertThat(task.get("Due_Date")).isEqualTo("2026-11-26"); // Tuesday + 2 business days
            assertThat(task.get("Priority")).isEqualTo("Normal");
            assertThat(task.get("Status")).isEqualTo("Not Started");
            assertThat(task.get("SCC_Call_ID")).isEqualTo("t-missed:missed");
            assertThat(h.db().queryForObject("SELECT zoho_task_id FROM followup_task WHERE call_id = 't-missed'", String.class))
                    .isEqualTo(task.get("id"));
            // the switch off earlier did not give the earlier call a Task afterwards
            assertThat(h.tasks("t-off")).isEmpty();

            // missed on a Friday: due after the weekend; an unknown caller becomes a Lead: What_Id + $se_module
            h.post(CanonicalEvent.event("t-lead-e", "t-lead", "call.ended").occurredAt("2026-11-27T16:00:30Z").direction("inbound")
                    .from("+14155550999").to("+14155550100").status("no-answer")
                    .members("\"startedAt\":\"2026-11-27T16:00:00Z\",\"agent\":{\"email\":\"dana@acme.example\"}"));
            Map<String, Object> row = h.awaitSynced("t-lead");
            Map<String, Object> leadTask = only(h.tasks("t-lead"));
            assertThat(row.get("zoho_module")).isEqualTo("Leads");
            assertThat(AppHarness.id(leadTask.get("What_Id"))).isEqualTo(row.get("zoho_record_id"));
            assertThat(leadTask.get("$se_module")).isEqualTo("Leads");
            assertThat(leadTask.get("Who_Id")).isNull();
            assertThat(leadTask.get("Subject")).isEqualTo("Call back +14155550999");
            assertThat(leadTask.get("Due_Date")).isEqualTo("2026-12-01"); // Friday + 2 business days = Tuesday
            assertThat(AppHarness.id(leadTask.get("Owner"))).as("the call's owner").isEqualTo(ids.get("dana"));

            // an answered call: no Task; a callback requested with a time: one callback Task at that time
            h.post(CanonicalEvent.ended("t-answered").from(PAT_PHONE).status("answered").durationSeconds(30));
            h.awaitSynced("t-answered");
            assertThat(h.tasks("t-answered")).isEmpty();
            h.post(CanonicalEvent.ended("t-callback").from(PAT_PHONE).status("missed")
                    .members("\"tags\":[\"callback:2026-11-30T15:00:00+01:00\"]"));
            h.awaitSynced("t-callback");
            Map<String, Object> cb = only(h.tasks("t-callback"));
            assertThat(cb.get("SCC_Call_ID")).as("replaces the missed-call Task").isEqualTo("t-callback:callback");
            assertThat(cb.get("Subject")).isEqualTo("Callback requested by Pat Lee");
            assertThat(cb.get("Due_Date")).isEqualTo("2026-11-30");
            assertThat(String.valueOf(cb.get("Remind_At"))).contains("2026-11-30T15:00:00+01:00");
            assertThat(String.valueOf(cb.get("Description"))).contains("Callback requested for 2026-11-30T15:00:00+01:00");

            // the event's callbackAt field asks for a callback just as precisely, without a tag
            h.post(CanonicalEvent.ended("t-callback-at").from(PAT_PHONE).status("answered").durationSeconds(20)
                    .members("\"callbackAt\":\"2026-12-02T09:30:00-05:00\""));
            h.awaitSynced("t-callback-at");
            Map<String, Object> cbAt = only(h.tasks("t-callback-at"));
            assertThat(cbAt.get("SCC_Call_ID")).isEqualTo("t-callback-at:callback");
            assertThat(cbAt.get("Due_Date")).isEqualTo("2026-12-02");
            assertThat(String.valueOf(cbAt.get("Remind_At"))).contains("2026-12-02T09:30:00-05:00");

            // escalation of an answered call: High priority, for the escalation owner
            h.post(CanonicalEvent.ended("t-esc").from(PAT_PHONE).status("answered").durationSeconds(90)
                    .members("\"tags\":[\"billing\",\"Escalation\"]"));
            h.awaitSynced("t-esc");
            Map<String, Object> esc = only(h.tasks("t-esc"));
            assertThat(esc.get("Priority")).isEqualTo("High");
            assertThat(esc.get("Subject")).isEqualTo("Escalation: call with Pat Lee");
            assertThat(AppHarness.id(esc.get("Owner"))).isEqualTo(ids.get("lead"));
            assertThat(AppHarness.id(esc.get("Who_Id"))).isEqualTo(ids.get("pat"));

            // a missed anonymous call cannot be called back: no Task
            h.post(CanonicalEvent.ended("t-anon").from("anonymous").status("missed"));
            h.awaitSynced("t-anon");
            assertThat(h.tasks("t-anon")).isEmpty();

            // off again: the next missed call gets none
            h.setFeature("followup-tasks", false);
            h.post(CanonicalEvent.ended("t-off-again").from(PAT_PHONE).status("missed"));
            h.awaitSynced("t-off-again");
            assertThat(h.tasks("t-off-again")).isEmpty();
        }
    }

    @Test
    void exactlyOneTaskUnderRetriesUpdatesAndALostAnswer() throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (AppHarness h = AppHarness.on("t_feat_tasks_once").fastFeatureRefresh().seed(sb -> {
            ids.put("pat", sb.seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Lee", "Phone", PAT_PHONE)));
            return Map.of("scc.feature.followup-tasks.enabled", "true");
        }).start()) {
            // Zoho refuses Task inserts for a while (5xx): the step is retried, the call parked and retried later
            h.sandbox().failWhen(r -> r.method().equals("POST") && r.path().endsWith("/Tasks"), 503, null);
            h.post(CanonicalEvent.ended("o-retry").from(PAT_PHONE).status("missed").members("\"tags\":[\"escalation\"]"));
            Wait.until(() -> h.status("o-retry"), "parked"::equals);
            assertThat(h.onlyCall("o-retry")).isNotNull();
            assertThat(h.sandbox().count("POST", "/crm/v8/Tasks")).isGreaterThan(1);
            h.sandbox().clearFaults();
            h.awaitSynced("o-retry");
            assertThat(h.tasks("o-retry")).extracting(t -> t.get("SCC_Call_ID"))
                    .containsExactlyInAnyOrder("o-retry:missed", "o-retry:escalation");
            h.onlyCall("o-retry");

            // later events of the call update the Call; the Tasks stay one each
            Object syncedAt = h.db().queryForMap("SELECT synced_at FROM call_sync WHERE call_id = 'o-retry'").get("synced_at");
            for (int i = 0; i < 3; i++) {
                h.post(CanonicalEvent.event("o-retry-u" + i, "o-retry", "call.updated").occurredAt("2026-11-24T10:2" + i + ":00Z")
                        .direction("inbound").from(PAT_PHONE).to("+14155550100")
                        .members("\"notes\":\"note " + i + "\",\"tags\":[\"escalation\"]"));
            }
            h.awaitSyncedAgain("o-retry", syncedAt);
            Wait.until(() -> String.valueOf(h.onlyCall("o-retry").get("Description")), d -> d.contains("note 2"));
            assertThat(h.tasks("o-retry")).hasSize(2);

            // a Task insert whose answer was lost (crash between Zoho's answer and our commit): the marker is
            // committed, the Task exists in Zoho, no id in our mapping. The next run finds it by COQL, inserts none.
            String existing = h.sandbox().seedRecord("Tasks", Map.of("Subject", "Call back Pat Lee", "SCC_Call_ID", "o-lost:missed"));
            h.db().update("INSERT INTO followup_task (tenant_id, call_id, kind, insert_started_at) VALUES ('default', 'o-lost', 'missed', now())");
            h.sandbox().clearJournal();
            h.post(CanonicalEvent.ended("o-lost").from(PAT_PHONE).status("missed"));
            h.awaitSynced("o-lost");
            assertThat(h.tasks("o-lost")).extracting(t -> t.get("id")).containsExactly(existing);
            assertThat(h.db().queryForObject("SELECT zoho_task_id FROM followup_task WHERE call_id = 'o-lost'", String.class))
                    .isEqualTo(existing);
            assertThat(h.sandbox().journal()).anyMatch(e -> e.path().endsWith("/coql") && e.body().contains("o-lost:missed"));
            assertThat(h.sandbox().journal()).noneMatch(e -> e.method().equals("POST") && e.path().endsWith("/Tasks"));

            // the same event again and a replay: nothing new
            h.post(CanonicalEvent.ended("o-lost").from(PAT_PHONE).status("missed"));
            assertThat(h.admin("POST", "/api/v1/admin/calls/o-lost/replay", null).statusCode()).isEqualTo(202);
            Wait.until(() -> h.sandbox().count("PUT", "/crm/v8/Calls"), n -> n >= 1);
            h.awaitSynced("o-lost");
            assertThat(h.tasks("o-lost")).hasSize(1);
        }
    }

    private static Map<String, Object> only(List<Map<String, Object>> tasks) {
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }
}
