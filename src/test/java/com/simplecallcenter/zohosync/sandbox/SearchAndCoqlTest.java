package com.simplecallcenter.zohosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AdjustableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SearchAndCoqlTest {

    private static final AdjustableClock CLOCK = AdjustableClock.at(Instant.parse("2025-05-10T12:00:00Z"));
    private static ZohoSandbox sb;
    private Zoho zoho;

    @BeforeAll
    static void start() {
        sb = ZohoSandbox.start(ZohoSandbox.Options.defaults().clock(CLOCK));
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
        sb.seedRecord("Leads", Map.of("Last_Name", "Burns,B", "Company", "ABC Inc", "Phone", "+1 415 555 0123",
                "Email", "burns@example.com"));
        sb.seedRecord("Leads", Map.of("Last_Name", "Smith", "Company", "ABC", "Mobile", "4155550199",
                "Secondary_Email", "smith@abc.example"));
        sb.seedRecord("Leads", Map.of("Last_Name", "Jones (Jr)", "Company", "Zylker"));
    }

    @Test
    void equalsBehavesLikeContains() {
        JsonNode r = search("Leads", "criteria=" + Zoho.enc("(Company:equals:ABC)"));
        assertThat(r.get("data").findValuesAsText("Last_Name")).containsExactly("Burns,B", "Smith");
        assertThat(r.at("/info/count").asInt()).isEqualTo(2);
        assertThat(search("Leads", "criteria=" + Zoho.enc("(Company:starts_with:zyl)")).at("/data/0/Last_Name")
                .asText()).isEqualTo("Jones (Jr)");
        JsonNode both = search("Leads", "criteria=" + Zoho.enc("((Company:equals:ABC)and(Last_Name:starts_with:Sm))"));
        assertThat(both.get("data")).hasSize(1);
        JsonNode either = search("Leads", "criteria=" + Zoho.enc("((Last_Name:equals:Smith)or(Company:equals:Zylker))"));
        assertThat(either.get("data")).hasSize(2);
        assertThat(search("Leads", "criteria=" + Zoho.enc("(Last_Name:in:Smith,Jones)")).get("data")).hasSize(2);
    }

    @Test
    void escapesAreHonouredAndUnescapedSpecialsRejected() {
        assertThat(search("Leads", "criteria=" + Zoho.enc("(Last_Name:equals:Burns\\,B)")).at("/data/0/Company")
                .asText()).isEqualTo("ABC Inc");
        assertThat(search("Leads", "criteria=" + Zoho.enc("(Last_Name:equals:Jones \\(Jr\\))")).get("data")).hasSize(1);
        Zoho.Response bad = zoho.get("/crm/v8/Leads/search?criteria=" + Zoho.enc("(Last_Name:equals:Burns,B)"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("INVALID_QUERY");
        assertThat(zoho.get("/crm/v8/Leads/search?criteria=" + Zoho.enc("(Nope:equals:xx)")).json().get("code")
                .asText()).isEqualTo("INVALID_QUERY");
    }

    @Test
    void nothingFoundIs204AndBadInputIs400() {
        Zoho.Response none = zoho.get("/crm/v8/Leads/search?email=nobody%40example.com");
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
        Zoho.Response shortValue = zoho.get("/crm/v8/Leads/search?word=a");
        assertThat(shortValue.status()).isEqualTo(400);
        assertThat(shortValue.json().get("code").asText()).isEqualTo("INVALID_DATA");
        Zoho.Response noSelector = zoho.get("/crm/v8/Leads/search?page=1");
        assertThat(noSelector.status()).isEqualTo(400);
        assertThat(noSelector.json().get("code").asText()).isEqualTo("EXPECTED_PARAM_MISSING");
        assertThat(zoho.get("/crm/v8/Leads/search?word=abc&page=11&per_page=200").json().get("code").asText())
                .isEqualTo("LIMIT_REACHED");
    }

    @Test
    void emailAndPhoneSearchAllTheirFieldsAsTyped() {
        assertThat(search("Leads", "email=smith%40abc.example").at("/data/0/Last_Name").asText()).isEqualTo("Smith");
        assertThat(search("Leads", "phone=4155550199").at("/data/0/Last_Name").asText()).isEqualTo("Smith");
        assertThat(search("Leads", "phone=" + Zoho.enc("415 555 0123")).at("/data/0/Last_Name").asText())
                .isEqualTo("Burns,B");
        // stored "+1 415 555 0123": the national digits typed differently do not match
        assertThat(zoho.get("/crm/v8/Leads/search?phone=4155550123").status()).isEqualTo(204);
        // precedence: criteria > email > phone > word
        assertThat(search("Leads", "email=burns%40example.com&phone=4155550199").at("/data/0/Last_Name").asText())
                .isEqualTo("Burns,B");
    }

    @Test
    void freshWritesHideFromSearchButNotFromCoql() {
        sb.searchIndexDelay(Duration.ofSeconds(30));
        zoho.post("/crm/v8/Leads", "{\"data\":[{\"Last_Name\":\"Fresh\",\"Company\":\"New Co\"}]}");
        assertThat(zoho.get("/crm/v8/Leads/search?word=Fresh").status()).isEqualTo(204);
        Zoho.Response q = zoho.coql("select Last_Name from Leads where Last_Name = 'Fresh'");
        assertThat(q.status()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(31));
        assertThat(search("Leads", "word=Fresh").at("/data/0/Last_Name").asText()).isEqualTo("Fresh");
    }

    @Test
    void coqlFindsACallByOurKey() {
        for (String key : new String[] {"tel-1", "tel-2", "tel-22"}) {
            zoho.post("/crm/v8/Calls", "{\"data\":[" + RecordsTest.call("Inbound", "01:00")
                    .replace("}", ",\"SCC_Call_ID\":\"" + key + "\"}") + "]}");
        }
        Zoho.Response r = zoho.coql("select id, Subject from Calls where SCC_Call_ID = 'tel-2' limit 2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data")).hasSize(1);
        assertThat(r.json().at("/data/0/Subject").asText()).isEqualTo("Call");
        assertThat(r.json().at("/data/0/id").asText()).matches("\\d{19}");
        assertThat(r.json().at("/info/count").asInt()).isEqualTo(1);
        assertThat(r.json().at("/info/more_records").asBoolean()).isFalse();

        JsonNode like = zoho.coql("select SCC_Call_ID from Calls where (SCC_Call_ID like 'tel-2%' and Call_Type = "
                + "'Inbound') order by SCC_Call_ID desc limit 1 offset 0").json();
        assertThat(like.at("/data/0/SCC_Call_ID").asText()).isEqualTo("tel-22");
        assertThat(like.at("/info/more_records").asBoolean()).isTrue();
        JsonNode in = zoho.coql("select Subject from Calls where SCC_Call_ID in ('tel-1', 'tel-22') and "
                + "Description is null").json();
        assertThat(in.get("data")).hasSize(2);
        assertThat(zoho.coql("select Subject from Calls where SCC_Call_ID = 'none'").status()).isEqualTo(204);
        assertThat(zoho.coql("select Owner.email from Calls where SCC_Call_ID = 'tel-1'").json()
                .at("/data/0/Owner.email").asText()).isEqualTo("ana@example.com");
    }

    @Test
    void coqlErrors() {
        assertThat(code(zoho.coql("select id from Calls"))).isEqualTo("SYNTAX_ERROR");
        assertThat(code(zoho.coql("select * from Calls where id is not null"))).isEqualTo("SYNTAX_ERROR");
        Zoho.Response column = zoho.coql("select Nope from Calls where id is not null");
        assertThat(code(column)).isEqualTo("INVALID_QUERY");
        assertThat(column.json().at("/details/column_name").asText()).isEqualTo("Nope");
        assertThat(code(zoho.coql("select id from Calls where Subject = 'a' and Subject = 'b' and Subject = 'c'")))
                .isEqualTo("SYNTAX_ERROR");
        assertThat(zoho.coql("select id from Calls where ((Subject = 'a' and Subject = 'b') or Subject = 'c')")
                .status()).isEqualTo(204);
        assertThat(code(zoho.coql("select id from Calls where id is not null limit 2001"))).isEqualTo("LIMIT_EXCEEDED");
        String fifty = "'v'" + ", 'v'".repeat(50);
        assertThat(code(zoho.coql("select id from Calls where Subject in (" + fifty + ")"))).isEqualTo("LIMIT_EXCEEDED");
    }

    private JsonNode search(String module, String query) {
        Zoho.Response r = zoho.get("/crm/v8/" + module + "/search?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String code(Zoho.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("code").asText();
    }
}
