package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AdjustableClock;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoCredits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, item 2: the daily credit budget of a tenant's Zoho org. Credits are counted per request by Zoho's table
 * (and agree with what the sandbox charged), warned at 80 %, and at 100 % calls are parked CREDITS_EXHAUSTED without a
 * request to Zoho until the rolling 24 h window frees credits (the app's clock and the sandbox's are moved, not waited
 * for). Zoho's own refusal for spent credits parks the same way.
 */
class SyncCreditsTest {

    static final long BUDGET = 40;
    static final AdjustableClock CLOCK = new AdjustableClock();
    static AppHarness h;
    static ZohoSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_credits").clock(CLOCK).sandboxOptions(ZohoSandbox.Options.defaults().clock(CLOCK))
                .setting("scc.zoho.daily-credits", String.valueOf(BUDGET)).start();
        sandbox = h.sandbox();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Each test starts with a fresh 24 h window: the credits spent before have returned, for us and for the sandbox. */
    @BeforeEach
    void nextDay() {
        CLOCK.advance(Duration.ofHours(25));
        sandbox.creditBudget(Long.MAX_VALUE);
        sandbox.clearJournal();
    }

    ZohoCredits credits() {
        return h.zohoOrgs().credits();
    }

    long used() {
        return credits().usage("default").used();
    }

    /** What one request cost us and the sandbox; both must equal Zoho's table. */
    void costs(long expected, Runnable request) {
        long ours = used();
        long zoho = sandbox.creditsUsed();
        request.run();
        assertThat(used() - ours).as("credits we counted").isEqualTo(expected);
        assertThat(sandbox.creditsUsed() - zoho).as("credits the sandbox charged").isEqualTo(expected);
    }

    static List<ObjectNode> leads(int n, String prefix) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(AppHarness.JSON.createObjectNode().put("Last_Name", prefix + i).put("Company", "Credits Inc"));
        }
        return out;
    }

    @Test
    void eachRequestKindCostsWhatZohosCreditTableSays() {
        ZohoClient z = h.zohoClient();
        costs(1, () -> z.search("Leads", ZohoClient.SearchBy.EMAIL, "nobody@credits.example", List.of("Email")));
        costs(1, () -> z.coql("select id from Leads where Last_Name = 'x' limit 200"));
        costs(2, () -> z.coql("select id from Leads where Last_Name = 'x' limit 201"));
        costs(3, () -> z.coql("select id from Leads where Last_Name = 'x' limit 2000"));
        costs(1, () -> z.insert("Leads", leads(1, "one")));
        costs(1, () -> z.insert("Leads", leads(10, "ten")));
        costs(3, () -> z.insert("Leads", leads(25, "tw")));
        List<String> ids = z.insert("Leads", leads(11, "upd")).stream().map(ZohoClient.RecordResult::id).toList();
        List<ObjectNode> updates = ids.stream().map(id -> AppHarness.JSON.createObjectNode().put("id", id).put("Company", "Updated")).toList();
        costs(2, () -> z.update("Leads", updates));
        costs(1, () -> z.get("Leads", ids.get(0)));
        // a refused request (injected 500) is not charged, by Zoho or by us
        sandbox.failNext(1, 500, "INTERNAL_ERROR");
        costs(0, () -> {
            try {
                z.get("Leads", ids.get(0));
            } catch (RuntimeException expected) {
                // ZohoUnavailableException
            }
        });
        assertThat(h.request("GET", "/metrics", null, null).body()).contains("scc_zoho_credits_total{tenant=\"default\"}");
    }

    @Test
    void at80PercentTheTenantIsWarnedAndAt100ItsCallsWaitUntilTheWindowFreesCredits() {
        ZohoClient z = h.zohoClient();
        // 33 of 40: over 80 %
        while (used() < 33) {
            z.coql("select id from Leads where Last_Name = 'x' limit 2000");
        }
        assertThat(credits().usage("default").ratio()).isGreaterThanOrEqualTo(0.8);
        assertThat(gauge()).isGreaterThanOrEqualTo(0.8).isLessThan(1.0);
        assertThat(adminPage()).contains("credits used today: " + used() + " of " + BUDGET, "over 80 %");

        // the rest of the budget
        while (used() < BUDGET) {
            z.coql("select id from Leads where Last_Name = 'x' limit 1");
        }
        assertThat(credits().exhausted("default")).isTrue();
        long requests = sandbox.journal().size();
        post(CanonicalEvent.ended("cr-call-1").from("+14155550701").status("answered").durationSeconds(20));
        Map<String, Object> row = h.awaitStatus("cr-call-1", "parked");
        assertThat(row.get("last_error_code")).isEqualTo("CREDITS_EXHAUSTED");
        // parked without asking Zoho: nothing was sent that Zoho would refuse
        Wait.pause(600);
        assertThat(sandbox.journal()).hasSize((int) requests);
        assertThat(adminPage()).contains("credits used today: " + BUDGET + " of " + BUDGET, "spent");

        // a day later the window has freed the credits: the sweep wakes the call and it goes through
        CLOCK.advance(Duration.ofHours(24).plusMinutes(2));
        h.awaitSynced("cr-call-1");
        assertThat(h.onlyCall("cr-call-1")).isNotNull();
    }

    @Test
    void zohosOwnRefusalForSpentCreditsParksTheCallTheSameWay() {
        // other apps spent the org's credits: Zoho refuses after 2 of this call's requests, whatever our count says
        sandbox.creditBudget(2);
        post(CanonicalEvent.ended("cr-call-2").from("+14155550702").status("answered").durationSeconds(20));
        Map<String, Object> row = h.awaitStatus("cr-call-2", "parked");
        assertThat(row.get("last_error_code")).isEqualTo("CREDITS_EXHAUSTED");
        // not retried in place: one refusal, then the tenant's calls wait (scc.zoho.credits-refused-pause)
        Wait.pause(1000);
        assertThat(sandbox.journal().stream().filter(e -> e.status() == 429).count()).isEqualTo(1);
        assertThat(h.status("cr-call-2")).isEqualTo("parked");

        // Zoho has credits again and the pause is over: the call goes through
        sandbox.creditBudget(Long.MAX_VALUE);
        CLOCK.advance(Duration.ofMinutes(6));
        h.awaitSynced("cr-call-2");
    }

    /** Signed at the app's clock (the test moved it days ahead: a timestamp of the machine's clock would be stale). */
    static void post(CanonicalEvent event) {
        byte[] body = event.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long ts = CLOCK.instant().getEpochSecond();
        String id = "msg_" + System.nanoTime();
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/api/v1/calls/events"))
                .header("Content-Type", "application/json").header("webhook-id", id).header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(AppHarness.WEBHOOK_SECRET, id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    double gauge() {
        String metrics = h.request("GET", "/metrics", null, null).body();
        return metrics.lines().filter(l -> l.startsWith("scc_zoho_credits_used_ratio{tenant=\"default\"}"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    String adminPage() {
        HttpResponse<String> login = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + AppHarness.ADMIN)).build());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        Supplier<HttpResponse<String>> page = () -> Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).GET().build());
        HttpResponse<String> r = page.get();
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
