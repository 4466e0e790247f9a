package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recording/transcript/summary links (Description and Notes, late links, expiring links, off) and contact updates. */
class LinksAndUpdatesTest {

    private static final String PHONE = "+14155550301";

    @Test
    void lateLinksUpdateTheSameCallAndExpiringLinksAreNotStored() throws Exception {
        try (AppHarness h = AppHarness.on("t_feat_links").fastFeatureRefresh().start()) {
            // on by default; an expiring (pre-signed) recording URL is not written
            h.post(CanonicalEvent.ended("l-1").from(PHONE).status("answered").durationSeconds(20)
                    .members("\"links\":{\"recording\":\"https://rec.example/r/1.mp3?X-Amz-Expires=600&X-Amz-Signature=ab12\"}"));
            Object syncedAt = h.awaitSynced("l-1").get("synced_at");
            Map<String, Object> call = h.onlyCall("l-1");
            assertThat(call.get("Voice_Recording__s")).isNull();
            assertThat(String.valueOf(call.get("Description"))).doesNotContain("X-Amz");

            // later links (call.updated): the same Call gets them
            h.post(CanonicalEvent.event("l-1-u", "l-1", "call.updated").occurredAt("2026-11-24T10:30:00Z").direction("inbound")
                    .from(PHONE).to("+14155550100")
                    .members("\"links\":{\"recording\":\"https://assets.example/recording/1\",\"transcript\":\"https://ai.example/t/1\"," + "\"summary\":\"https://ai.example/s/1\"}"));
            h.awaitSyncedAgain("l-1", syncedAt);
            call = h.onlyCall("l-1");
            assertThat(call.get("Voice_Recording__s")).isEqualTo("https://assets.example/recording/1");
            assertThat(String.valueOf(call.get("Description")))
                    .contains("Transcript: https://ai.example/t/1", "Summary: https://ai.example/s/1");
            assertThat(h.sandbox().records("Notes")).isEmpty();

            // switched off: a new call carries no links at all
            h.setFeature("recording-links", false);
            h.post(CanonicalEvent.ended("l-off").from(PHONE).status("answered").durationSeconds(20)
                    .members("\"links\":{\"recording\":\"https://assets.example/recording/2\",\"transcript\":\"https://ai.example/t/2\"}"));
            h.awaitSynced("l-off");
            Map<String, Object> off = h.onlyCall("l-off");
            assertThat(off.get("Voice_Recording__s")).isNull();
            assertThat(String.valueOf(off.get("Description"))).doesNotContain("https://");
        }
    }

    @Test
    void transcriptAndSummaryAsNotesOnTheCallOnceEach() throws Exception {
        try (AppHarness h = AppHarness.on("t_feat_notes").fastFeatureRefresh()
                .setting("scc.recording-links.transcript-target", "notes").start()) {
            h.post(CanonicalEvent.ended("n-1").from(PHONE).status("answered").durationSeconds(20)
                    .members("\"links\":{\"recording\":\"https://assets.example/recording/9\",\"transcript\":\"https://ai.example/t/9\"}"));
            Object syncedAt = h.awaitSynced("n-1").get("synced_at");
            Map<String, Object> call = h.onlyCall("n-1");
            assertThat(call.get("Voice_Recording__s")).isEqualTo("https://assets.example/recording/9");
            assertThat(String.valueOf(call.get("Description"))).doesNotContain("Transcript");
            assertThat(notes(h, (String) call.get("id"))).extracting(n -> n.get("Note_Title") + "=" + n.get("Note_Content"))
                    .containsExactly("Transcript=https://ai.example/t/9");

            // the summary arrives later; the transcript is not written twice
            h.post(CanonicalEvent.event("n-1-u1", "n-1", "call.updated").occurredAt("2026-11-24T10:30:00Z").direction("inbound")
                    .from(PHONE).to("+14155550100").members("\"links\":{\"summary\":\"https://ai.example/s/9\"}"));
            syncedAt = h.awaitSyncedAgain("n-1", syncedAt).get("synced_at");
            assertThat(notes(h, (String) call.get("id"))).extracting(n -> n.get("Note_Title") + "=" + n.get("Note_Content"))
                    .containsExactlyInAnyOrder("Transcript=https://ai.example/t/9", "Summary=https://ai.example/s/9");
            // a corrected transcript link updates its Note; the Call stays one
            h.post(CanonicalEvent.event("n-1-u2", "n-1", "call.updated").occurredAt("2026-11-24T10:40:00Z").direction("inbound")
                    .from(PHONE).to("+14155550100").members("\"links\":{\"transcript\":\"https://ai.example/t/9-v2\"}"));
            h.awaitSyncedAgain("n-1", syncedAt);
            assertThat(notes(h, (String) call.get("id"))).extracting(n -> n.get("Note_Title") + "=" + n.get("Note_Content"))
                    .containsExactlyInAnyOrder("Transcript=https://ai.example/t/9-v2", "Summary=https://ai.example/s/9");
            assertThat(h.sandbox().records("Notes")).hasSize(2);
            h.onlyCall("n-1");
        }
    }

    @Test
    void contactUpdatesFillOnlyAllowedFieldsAndNothingWhenOff() throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (AppHarness h = AppHarness.on("t_feat_updates").fastFeatureRefresh().seed(sb -> {
            ids.put("kim", sb.seedRecord("Contacts", Map.of("Last_Name", "Park", "Phone", "+14155550401")));
            ids.put("lou", sb.seedRecord("Contacts", Map.of("Last_Name", "Diaz", "Phone", "+14155550402")));
            return Map.of("scc.zoho.update-fields", "Email");
        }).start()) {
            // allowlist Email: the empty Email is filled, First_Name (empty too) is not
            h.post(CanonicalEvent.ended("u-1").from("+14155550401").status("answered").durationSeconds(20)
                    .members("\"caller\":{\"email\":\"kim@example.com\",\"firstName\":\"Kim\"}"));
            h.awaitSynced("u-1");
            Map<String, Object> kim = h.sandbox().record("Contacts", ids.get("kim"));
            assertThat(kim.get("Email")).isEqualTo("kim@example.com");
            assertThat(kim.get("First_Name")).isNull();

            // off: nothing is written to a matched Contact, the call is still logged on it
            h.setFeature("contact-updates", false);
            h.sandbox().clearJournal();
            h.post(CanonicalEvent.ended("u-2").from("+14155550402").status("answered").durationSeconds(20)
                    .members("\"caller\":{\"email\":\"lou@example.com\"}"));
            h.awaitSynced("u-2");
            assertThat(h.sandbox().record("Contacts", ids.get("lou")).get("Email")).isNull();
            assertThat(AppHarness.id(h.onlyCall("u-2").get("Who_Id"))).isEqualTo(ids.get("lou"));
            assertThat(h.sandbox().journal()).noneMatch(e -> e.method().equals("PUT") && e.path().contains("/Contacts"));
        }
    }

    private static List<Map<String, Object>> notes(AppHarness h, String callActivityId) {
        return h.sandbox().records("Notes").stream()
                .filter(n -> n.get("Parent_Id") instanceof Map<?, ?> p && callActivityId.equals(p.get("id"))).toList();
    }
}
