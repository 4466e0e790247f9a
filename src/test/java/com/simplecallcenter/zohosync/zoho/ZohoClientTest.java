package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every verb of the client over real HTTP against the sandbox, and how each kind of answer is classified. */
class ZohoClientTest {

    static final String SCHEMA = "t_zoho_client";
    static ZohoSandbox zoho;
    static AppHarness app;
    static ZohoClient client;

    @BeforeAll
    static void start() throws Exception {
        zoho = ZohoSandbox.start();
        app = AppHarness.on(SCHEMA).sandbox(zoho).notConnected().setting("scc.zoho.read-timeout-ms", "1000").start();
        client = app.zohoClient();
    }

    @AfterAll
    static void stop() {
        app.close();
        zoho.stop();
    }

    @BeforeEach
    void connect() {
        zoho.reset();
        zoho.registerClient(AppHarness.CLIENT_ID, AppHarness.CLIENT_SECRET, app.redirectUri());
        zoho.addUser("ana@example.com", "Ana Admin", "active");
        app.connect();
        zoho.clearJournal();
    }

    // ------------------------------------------------------------------ verbs

    @Test
    void searchEscapesCriteriaAndAnswersEmptyOn204() {
        String id = zoho.seedRecord("Leads", Map.of("Last_Name", "Burns,B (Jr)", "Email", "pat@example.com", "Phone", "+14155550134"));
        List<ObjectNode> byName = client.search("Leads", ZohoClient.SearchBy.CRITERIA,
                "(Last_Name:equals:" + ZohoClient.escapeCriteria("Burns,B (Jr)") + ")", List.of("Last_Name", "Email"));
        assertThat(byName).extracting(n -> n.path("id").asText()).containsExactly(id);
        assertThat(client.search("Leads", ZohoClient.SearchBy.EMAIL, "pat@example.com", null)).hasSize(1);
        assertThat(client.search("Leads", ZohoClient.SearchBy.PHONE, "+14155550134", List.of("Phone"))).hasSize(1);
        assertThat(client.search("Leads", ZohoClient.SearchBy.EMAIL, "nobody@example.com", null)).isEmpty();
        assertThat(zoho.journal()).anyMatch(e -> e.status() == 204);
    }

    @Test
    void coqlReadsLiveDataAndAnswersEmptyWhenNothingMatches() {
        String id = zoho.seedRecord("Leads", Map.of("Last_Name", "Coql"));
        assertThat(client.coql("select id, Last_Name from Leads where Last_Name = 'Coql' limit 5"))
                .extracting(n -> n.path("id").asText()).containsExactly(id);
        assertThat(client.coql("select id from Leads where Last_Name = 'Nobody' limit 5")).isEmpty();
        assertThatThrownBy(() -> client.coql("select id from Leads")).isInstanceOf(ZohoPermanentException.class)
                .extracting(e -> ((ZohoException) e).code()).isEqualTo("SYNTAX_ERROR");
    }

    @Test
    void insertReturnsOneResultPerRecordAndSendsTheWorkflowTrigger() {
        ObjectNode good = AppHarness.JSON.createObjectNode().put("Last_Name", "Good").put("Company", "Acme");
        ObjectNode bad = AppHarness.JSON.createObjectNode().put("Company", "No last name");
        List<ZohoClient.RecordResult> results = client.insert("Leads", List.of(good, bad));
        assertThat(results).hasSize(2);
        assertThat(results.get(0).success()).isTrue();
        assertThat(results.get(0).index()).isZero();
        assertThat(results.get(0).id()).matches("\\d+");
        assertThat(results.get(1).success()).isFalse();
        assertThat(results.get(1).index()).isEqualTo(1);
        assertThat(results.get(1).code()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(results.get(1).field()).isEqualTo("Last_Name");
        assertThat(results.get(1).retryable()).isFalse();
        assertThat(results.get(1).toException()).isInstanceOf(ZohoPermanentException.class);
        assertThat(zoho.journal().stream().filter(e -> e.method().equals("POST")).findFirst().orElseThrow().body())
                .contains("\"trigger\":[\"workflow\"]");
        assertThat(zoho.journal().stream().filter(e -> e.method().equals("POST")).findFirst().orElseThrow().status()).isEqualTo(207);

        // all failed: a 400 whose items still come back one by one
        List<ZohoClient.RecordResult> allBad = client.insert("Leads", List.of(bad, bad));
        assertThat(allBad).extracting(ZohoClient.RecordResult::code).containsExactly("MANDATORY_NOT_FOUND", "MANDATORY_NOT_FOUND");
    }

    @Test
    void updateGetRelatedUsersAndFields() {
        String id = zoho.seedRecord("Contacts", Map.of("Last_Name", "Old", "Email", "c@example.com"));
        ObjectNode change = AppHarness.JSON.createObjectNode().put("id", id).put("Last_Name", "New");
        List<ZohoClient.RecordResult> results = client.update("Contacts", List.of(change));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.success()).isTrue();
            assertThat(r.id()).isEqualTo(id);
        });
        Optional<ObjectNode> got = client.get("Contacts", id);
        assertThat(got).isPresent();
        assertThat(got.get().path("Last_Name").asText()).isEqualTo("New");
        assertThat(client.get("Contacts", "5725767000000999999")).isEmpty();
        assertThat(client.related("Contacts", id, "Deals", List.of("Deal_Name"))).isEmpty();
        assertThat(client.fields("Calls")).anyMatch(f -> f.path("api_name").asText().equals("Subject"));
        assertThatThrownBy(() -> client.update("Contacts", List.of(AppHarness.JSON.createObjectNode().put("Last_Name", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.get("Contacts/../users", id)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usersArePagedThroughToTheEnd() {
        for (int i = 0; i < 250; i++) {
            zoho.addUser("agent" + i + "@example.com", "Agent " + i, "active");
        }
        assertThat(client.users("AllUsers")).hasSize(251);
        assertThat(client.users("CurrentUser")).singleElement().satisfies(u -> assertThat(u.path("email").asText()).isEqualTo("ana@example.com"));
        assertThat(zoho.count("GET", "/crm/v8/users")).isEqualTo(3);
    }

    @Test
    void escapeCriteriaFollowsZohoRules() {
        assertThat(ZohoClient.escapeCriteria("Burns,B")).isEqualTo("Burns\\,B");
        assertThat(ZohoClient.escapeCriteria("fasf(123) K")).isEqualTo("fasf\\(123\\) K");
        assertThat(ZohoClient.escapeCriteria("ends\\")).isEqualTo("ends\\\\");
        assertThat(ZohoClient.escapeCriteria("plain")).isEqualTo("plain");
    }

    // ------------------------------------------------------------------ classification

    @Test
    void tooManyRequestsIsRateLimitedAndNotRetriedHere() {
        zoho.failNext(1, 429, "TOO_MANY_REQUESTS");
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoRateLimitedException.class)
                .isInstanceOf(ZohoRetryableException.class);
        assertThat(zoho.count("GET", "/crm/")).isEqualTo(1);
    }

    @Test
    void serverErrorsAreUnavailable() {
        zoho.failNext(1, 500, "INTERNAL_ERROR");
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoUnavailableException.class);
        zoho.failNext(1, 503, null);
        assertThatThrownBy(() -> client.coql("select id from Leads where Last_Name = 'x'")).isInstanceOf(ZohoUnavailableException.class)
                .extracting(e -> ((ZohoException) e).httpStatus()).isEqualTo(503);
        zoho.failNext(1, 504, null);
        assertThatThrownBy(() -> client.insert("Leads", List.of(lead("Gateway")))).isInstanceOf(ZohoOutcomeUnknownException.class);
    }

    @Test
    void refusalsArePermanentWithCodeAndField() {
        zoho.failNext(1, 403, "NO_PERMISSION");
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoPermanentException.class)
                .extracting(e -> ((ZohoException) e).code()).isEqualTo("NO_PERMISSION");
        zoho.failNext(1, 401, "OAUTH_SCOPE_MISMATCH");
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoPermanentException.class)
                .extracting(e -> ((ZohoException) e).httpStatus()).isEqualTo(401);
        assertThat(zoho.refreshCount()).isZero();
        zoho.failNext(1, 400, "INVALID_MODULE");
        assertThatThrownBy(() -> client.insert("Leads", List.of(lead("Top level")))).isInstanceOf(ZohoPermanentException.class)
                .extracting(e -> ((ZohoException) e).code()).isEqualTo("INVALID_MODULE");
    }

    @Test
    void aDroppedConnectionOnAnInsertIsOutcomeUnknownAndTheRecordMayExist() {
        zoho.dropConnectionNext(1);
        assertThatThrownBy(() -> client.insert("Leads", List.of(lead("Maybe")))).isInstanceOf(ZohoOutcomeUnknownException.class)
                .isInstanceOf(ZohoRetryableException.class);
        assertThat(zoho.records("Leads")).anyMatch(r -> "Maybe".equals(r.get("Last_Name")));
    }

    @Test
    void aReadTimeoutIsUnavailableOnAReadAndOutcomeUnknownOnAWrite() {
        zoho.latency(Duration.ofMillis(1500));
        try {
            assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoUnavailableException.class);
            assertThatThrownBy(() -> client.insert("Leads", List.of(lead("Slow")))).isInstanceOf(ZohoOutcomeUnknownException.class);
        } finally {
            zoho.latency(Duration.ZERO);
        }
    }

    @Test
    void requestsAreCountedByVerbAndOutcome() {
        client.users("CurrentUser");
        zoho.failNext(1, 429, "TOO_MANY_REQUESTS");
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoRateLimitedException.class);
        String metrics = Http.get(app.baseUrl() + "/metrics").body();
        assertThat(metrics).containsPattern("scc_zoho_requests_total\\{outcome=\"ok\",verb=\"users\"\\} [1-9]");
        assertThat(metrics).containsPattern("scc_zoho_requests_total\\{outcome=\"rate_limited\",verb=\"users\"\\} [1-9]");
        assertThat(metrics).contains("scc_zoho_request_duration_seconds");
    }

    @Test
    void theConcurrencyCapKeepsUsUnderZohosLimit() throws Exception {
        zoho.concurrencyLimit(3);
        zoho.latency(Duration.ofMillis(200));
        AppHarness capped = AppHarness.on(SCHEMA).sandbox(zoho).notConnected().keepSchema().setting("scc.zoho.max-concurrency", "3")
                .start();
        try {
            ZohoClient cappedClient = capped.zohoClient();
            AtomicInteger limited = new AtomicInteger();
            ZohoTokenTest.runConcurrently(12, i -> cappedClient.users("CurrentUser"));
            assertThat(zoho.journal().stream().filter(e -> e.status() == 429)).isEmpty();
            assertThat(zoho.count("GET", "/crm/v8/users")).isEqualTo(12);

            // the same load without our cap (10) goes over the org's limit: the cap is what kept it clean
            List<Throwable> errors = new ArrayList<>();
            ZohoTokenTest.runConcurrently(12, i -> {
                try {
                    client.users("CurrentUser");
                } catch (ZohoRateLimitedException e) {
                    limited.incrementAndGet();
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            assertThat(limited.get()).isPositive();
        } finally {
            zoho.latency(Duration.ZERO);
            capped.close();
        }
    }

    private static ObjectNode lead(String lastName) {
        return AppHarness.JSON.createObjectNode().put("Last_Name", lastName).put("Company", "Acme");
    }
}
