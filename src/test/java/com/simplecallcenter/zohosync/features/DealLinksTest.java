package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Deal/Account links: open Deal most recently modified, else the Account, else nothing; policies; cache; off. */
class DealLinksTest {

    @Test
    void dealThenAccountThenNothingAndEachPolicy() throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (AppHarness h = AppHarness.on("t_feat_deals").fastFeatureRefresh().seed(sb -> {
            String acme = sb.seedRecord("Accounts", Map.of("Account_Name", "Acme"));
            ids.put("acme", acme);
            String c1 = sb.seedRecord("Contacts", Map.of("Last_Name", "Deal", "Phone", "+14155550201", "Account_Name", Map.of("id", acme)));
            ids.put("c1", c1);
            ids.put("c2", sb.seedRecord("Contacts", Map.of("Last_Name", "Account", "Phone", "+14155550202", "Account_Name", Map.of("id", acme))));
            ids.put("c3", sb.seedRecord("Contacts", Map.of("Last_Name", "Alone", "Phone", "+14155550203")));
            sb.seedRecord("Deals", Map.of("Deal_Name", "Won already", "Stage", "Closed Won", "Contact_Name", Map.of("id", c1),
                    "Modified_Time", "2026-11-20T10:00:00+00:00"));
            ids.put("newer", sb.seedRecord("Deals", Map.of("Deal_Name", "Renewal", "Stage", "Negotiation/Review",
                    "Contact_Name", Map.of("id", c1), "Modified_Time", "2026-11-10T10:00:00+00:00")));
            sb.seedRecord("Deals", Map.of("Deal_Name", "Upsell", "Stage", "Qualification", "Contact_Name", Map.of("id", c1),
                    "Modified_Time", "2026-11-01T10:00:00+00:00"));
            return Map.of();
        }).start()) {
            // off by default: a Contact's Call carries Who_Id only
            h.post(CanonicalEvent.ended("d-off").from("+14155550201").status("answered").durationSeconds(20));
            h.awaitSynced("d-off");
            assertThat(h.onlyCall("d-off").get("What_Id")).isNull();

            h.setFeature("deal-links", true);
            h.sandbox().clearJournal();
            // the open Deal modified last (not the closed one, not the one created last)
            h.post(CanonicalEvent.ended("d-deal").from("+14155550201").status("answered").durationSeconds(20));
            h.awaitSynced("d-deal");
            Map<String, Object> call = h.onlyCall("d-deal");
            assertThat(AppHarness.id(call.get("Who_Id"))).isEqualTo(ids.get("c1"));
            assertThat(AppHarness.id(call.get("What_Id"))).isEqualTo(ids.get("newer"));
            assertThat(call.get("$se_module")).isEqualTo("Deals");
            // no open Deal: the Contact's Account
            h.post(CanonicalEvent.ended("d-account").from("+14155550202").status("answered").durationSeconds(20));
            h.awaitSynced("d-account");
            assertThat(AppHarness.id(h.onlyCall("d-account").get("What_Id"))).isEqualTo(ids.get("acme"));
            assertThat(h.onlyCall("d-account").get("$se_module")).isEqualTo("Accounts");
            // neither: Who_Id only
            h.post(CanonicalEvent.ended("d-none").from("+14155550203").status("answered").durationSeconds(20));
            h.awaitSynced("d-none");
            assertThat(h.onlyCall("d-none").get("What_Id")).isNull();
            // a Lead keeps What_Id = the Lead
            h.post(CanonicalEvent.ended("d-lead").from("+14155550299").status("answered").durationSeconds(20));
            Map<String, Object> leadRow = h.awaitSynced("d-lead");
            assertThat(h.onlyCall("d-lead").get("$se_module")).isEqualTo("Leads");
            assertThat(AppHarness.id(h.onlyCall("d-lead").get("What_Id"))).isEqualTo(leadRow.get("zoho_record_id"));

            // the look-up is cached: a second call of the same Contact costs no Deals request
            h.post(CanonicalEvent.ended("d-deal-2").from("+14155550201").status("answered").durationSeconds(20));
            h.awaitSynced("d-deal-2");
            assertThat(AppHarness.id(h.onlyCall("d-deal-2").get("What_Id"))).isEqualTo(ids.get("newer"));
            assertThat(h.sandbox().count("GET", "/crm/v8/Contacts/" + ids.get("c1") + "/Deals")).isEqualTo(1);
            assertThat(h.sandbox().count("GET", "/crm/v8/Contacts/" + ids.get("c3"))).as("Deals + Contact of c3").isEqualTo(2);
            assertThat(h.request("GET", "/metrics", null, null).body())
                    .contains("scc_feature_zoho_requests_total{feature=\"deal-links\"}");

            // policy account: the Account even when there is an open Deal
            h.restart(Map.of("scc.deal-links.policy", "account"));
            h.post(CanonicalEvent.ended("d-pol-account").from("+14155550201").status("answered").durationSeconds(20));
            h.awaitSynced("d-pol-account");
            assertThat(AppHarness.id(h.onlyCall("d-pol-account").get("What_Id"))).isEqualTo(ids.get("acme"));
            // policy deal: no Account fallback
            h.restart(Map.of("scc.deal-links.policy", "deal"));
            h.post(CanonicalEvent.ended("d-pol-deal").from("+14155550202").status("answered").durationSeconds(20));
            h.awaitSynced("d-pol-deal");
            assertThat(h.onlyCall("d-pol-deal").get("What_Id")).isNull();
            // policy none: nothing
            h.restart(Map.of("scc.deal-links.policy", "none"));
            h.post(CanonicalEvent.ended("d-pol-none").from("+14155550201").status("answered").durationSeconds(20));
            h.awaitSynced("d-pol-none");
            assertThat(h.onlyCall("d-pol-none").get("What_Id")).isNull();
        }
    }
}
