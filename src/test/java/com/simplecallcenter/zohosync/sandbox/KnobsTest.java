package com.simplecallcenter.zohosync.sandbox;

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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnobsTest {

    private static ZohoSandbox sb;
    private Zoho zoho;

    @BeforeAll
    static void start() {
        sb = ZohoSandbox.start();
    }

    @AfterAll
    static void stop() {
        sb.stop();
    }

    @BeforeEach
    void setUp() {
        sb.reset();
        sb.addUser("ana@example.com", "Ana Agent", "active");
        zoho = Zoho.connected(sb, Zoho.ALL_SCOPES);
    }

    @Test
    void failNextAnswersTheGivenErrorThenRecovers() {
        sb.failNext(2, 429, "TOO_MANY_REQUESTS");
        Zoho.Response first = zoho.get("/crm/v8/users");
        assertThat(first.status()).isEqualTo(429);
        assertThat(first.json().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(first.json().get("status").asText()).isEqualTo("error");
        assertThat(first.json().has("details")).isTrue();
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(429);
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(200);

        sb.failNext(1, 500, "INTERNAL_ERROR");
        assertThat(zoho.get("/crm/v8/users").json().get("code").asText()).isEqualTo("INTERNAL_ERROR");
        sb.failNext(1, 503, null);
        Zoho.Response empty = zoho.get("/crm/v8/users");
        assertThat(empty.status()).isEqualTo(503);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void failNextLeavesTheAccountsServerAlone() {
        sb.failNext(1, 500, "INTERNAL_ERROR");
        String code = sb.issueGrantCode(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        assertThat(zoho.token(java.util.Map.of("grant_type", "authorization_code", "client_id", Zoho.CLIENT_ID,
                "client_secret", Zoho.SECRET, "code", code)).json().has("access_token")).isTrue();
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(500);
    }

    @Test
    void failWhenTargetsMatchingRequests() {
        sb.failWhen(r -> r.method().equals("POST") && r.path().equals("/crm/v8/coql"), 500, "INTERNAL_ERROR");
        assertThat(zoho.coql("select id from Calls where id is not null").status()).isEqualTo(500);
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(200);
        sb.clearFaults();
        assertThat(zoho.coql("select id from Calls where id is not null").status()).isEqualTo(204);
    }

    @Test
    void droppedConnectionStillAppliesTheWrite() {
        sb.dropConnectionNext(1);
        HttpRequest insert = HttpRequest.newBuilder(URI.create(sb.apiDomain() + "/crm/v8/Calls"))
                .header("Authorization", "Zoho-oauthtoken " + zoho.accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":[" + RecordsTest.call("Inbound", "01:00")
                        .replace("}", ",\"SCC_Call_ID\":\"tel-lost\"}") + "]}"))
                .build();
        assertThatThrownBy(() -> Zoho.HTTP.send(insert, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        assertThat(sb.records("Calls")).hasSize(1);
        assertThat(sb.records("Calls").get(0)).containsEntry("SCC_Call_ID", "tel-lost");
        assertThat(sb.journal()).last().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/crm/v8/Calls");
            assertThat(e.status()).isZero();
        });
        // reads are never dropped, and the next write is answered normally
        assertThat(zoho.coql("select id from Calls where SCC_Call_ID = 'tel-lost'").status()).isEqualTo(200);
    }

    @Test
    void moreRequestsInFlightThanTheLimitGet429() throws Exception {
        sb.concurrencyLimit(2);
        sb.latency(Duration.ofMillis(300));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(Zoho.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sb.apiDomain() + "/crm/v8/users"))
                    .header("Authorization", "Zoho-oauthtoken " + zoho.accessToken).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            statuses.add(c.get().statusCode());
        }
        assertThat(statuses).contains(200, 429);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(2);
        sb.latency(Duration.ZERO);
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(200);
    }

    @Test
    void heavyCallsShareASubLimitOfTen() throws Exception {
        sb.concurrencyLimit(25);
        sb.latency(Duration.ofMillis(400));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(Zoho.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sb.apiDomain() + "/crm/v8/coql"))
                    .header("Authorization", "Zoho-oauthtoken " + zoho.accessToken)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"select_query\":\"select id from Calls where id is not null\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long throttled = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            throttled += c.get().statusCode() == 429 ? 1 : 0;
        }
        assertThat(throttled).isGreaterThanOrEqualTo(6);
    }

    @Test
    void creditBudgetExhaustedIs429() {
        sb.creditBudget(3);
        // 25 records cost 3 credits
        String one = RecordsTest.call("Inbound", "01:00");
        String body = "{\"data\":[" + String.join(",", java.util.Collections.nCopies(25, one)) + "]}";
        assertThat(zoho.post("/crm/v8/Calls", body).status()).isEqualTo(201);
        Zoho.Response r = zoho.get("/crm/v8/users");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
    }

    @Test
    void journalRecordsEveryRequest() {
        sb.clearJournal();
        zoho.get("/crm/v8/users?type=ActiveUsers");
        zoho.post("/crm/v8/Calls", "{\"data\":[" + RecordsTest.call("Inbound", "01:00") + "]}");
        zoho.post("/crm/v8/Calls", "{\"data\":[" + RecordsTest.call("Inbound", "01:00") + "]}");
        assertThat(sb.count("POST", "/crm/v8/Calls")).isEqualTo(2);
        assertThat(sb.count("GET", "/crm/v8/users")).isEqualTo(1);
        ZohoSandbox.JournalEntry first = sb.journal().get(0);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.query()).isEqualTo("type=ActiveUsers");
        assertThat(first.status()).isEqualTo(200);
        assertThat(sb.journal().get(1).body()).contains("Inbound");
        assertThat(sb.journal().get(1).status()).isEqualTo(201);
    }

    @Test
    void resetForgetsEverythingButKeepsThePort() {
        String base = sb.baseUrl();
        sb.reset();
        assertThat(sb.baseUrl()).isEqualTo(base);
        assertThat(sb.journal()).isEmpty();
        assertThat(zoho.get("/crm/v8/users").json().get("code").asText()).isEqualTo("INVALID_TOKEN");
    }
}
