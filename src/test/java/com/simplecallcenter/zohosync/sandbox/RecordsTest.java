package com.simplecallcenter.zohosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsTest {

    private static ZohoSandbox sb;
    private Zoho zoho;
    private String ana;
    private String contact;
    private String lead;

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
        ana = sb.addUser("ana@example.com", "Ana Agent", "active");
        sb.addUser("gone@example.com", "Gone Person", "deleted");
        zoho = Zoho.connected(sb, Zoho.ALL_SCOPES + ",ZohoCRM.modules.deals.ALL,ZohoCRM.modules.accounts.ALL");
        contact = sb.seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Boyle"));
        lead = sb.seedRecord("Leads", Map.of("Last_Name", "Rivera", "Company", "Acme"));
    }

    @Test
    void insertsACallAndAnswers201WithZohosSuccessItem() {
        Zoho.Response r = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Inbound", "04:35")
                .replace("}", ",\"Who_Id\":{\"id\":\"" + contact + "\"},\"SCC_Call_ID\":\"tel-1\",\"Bogus\":1}")
                + "],\"trigger\":[]}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode item = r.json().at("/data/0");
        assertThat(item.get("code").asText()).isEqualTo("SUCCESS");
        assertThat(item.get("message").asText()).isEqualTo("record added");
        assertThat(item.get("status").asText()).isEqualTo("success");
        String id = item.at("/details/id").asText();
        assertThat(id).matches("\\d{19}");
        assertThat(item.at("/details/Created_Time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
        assertThat(item.at("/details/Created_By/id").asText()).isEqualTo(ana);

        Map<String, Object> stored = sb.record("Calls", id);
        assertThat(stored).containsEntry("SCC_Call_ID", "tel-1").containsEntry("Call_Duration_in_seconds", 275)
                .doesNotContainKey("Bogus");
        assertThat(stored.get("Who_Id")).isEqualTo(Map.of("id", contact, "name", "Pat Boyle"));
        assertThat(((Map<?, ?>) stored.get("Owner")).get("id")).isEqualTo(ana);

        JsonNode got = zoho.get("/crm/v8/Calls/" + id).json();
        assertThat(got.at("/data/0/Subject").asText()).isEqualTo("Call");
        assertThat(zoho.get("/crm/v8/Calls/5725767000000000001").status()).isEqualTo(204);
    }

    @Test
    void mixedBatchAnswers207InInputOrderAndAllFailedAnswers400() {
        Zoho.Response r = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Inbound", "01:00") + ","
                + call("Sideways", "01:00") + "," + "{\"Subject\":\"no type\"}" + "]}");
        assertThat(r.status()).isEqualTo(207);
        assertThat(r.json().at("/data/0/status").asText()).isEqualTo("success");
        JsonNode bad = r.json().at("/data/1");
        assertThat(bad.get("code").asText()).isEqualTo("INVALID_DATA");
        assertThat(bad.at("/details/api_name").asText()).isEqualTo("Call_Type");
        assertThat(bad.at("/details/json_path").asText()).isEqualTo("$.data[1].Call_Type");
        assertThat(bad.at("/details/supported_values").toString()).contains("Inbound", "Outbound", "Missed");
        assertThat(r.json().at("/data/2/code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(r.json().at("/data/2/details/api_name").asText()).isEqualTo("Call_Type");

        Zoho.Response all = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Outbound", "00:00") + "]}");
        assertThat(all.status()).isEqualTo(400);
        assertThat(all.json().at("/data/0/code").asText()).isEqualTo("DEPENDENT_MISMATCH");
        assertThat(all.json().at("/data/0/details/api_name").asText()).isEqualTo("Call_Duration");
        assertThat(zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Missed", "00:00") + "]}").status())
                .isEqualTo(201);
    }

    @Test
    void callFieldFormatsAreChecked() {
        assertThat(firstError(call("Inbound", "4m35s"))).isEqualTo("INVALID_DATA:Call_Duration");
        assertThat(firstError(call("Inbound", "1:02:03"))).isEqualTo("SUCCESS:null");
        assertThat(firstError(call("Inbound", "01:00").replace("2025-05-10T14:32:05+02:00", "2025-05-10T14:32:05Z")))
                .isEqualTo("INVALID_DATA:Call_Start_Time");
        assertThat(firstError(call("Inbound", "01:00").replace("\"Call\"", "\"" + "x".repeat(256) + "\"")))
                .isEqualTo("INVALID_DATA:Subject");
        assertThat(firstError(call("Inbound", "01:00").replace("}", ",\"What_Id\":{\"id\":\"" + lead + "\"}}")))
                .isEqualTo("MANDATORY_NOT_FOUND:$se_module");
        assertThat(firstError(call("Inbound", "01:00")
                .replace("}", ",\"What_Id\":{\"id\":\"" + lead + "\"},\"$se_module\":\"Leads\"}")))
                .isEqualTo("SUCCESS:null");
        assertThat(firstError(call("Inbound", "01:00").replace("}", ",\"Who_Id\":{\"id\":\"" + lead + "\"}}")))
                .isEqualTo("INVALID_DATA:Who_Id");
        assertThat(firstError(call("Inbound", "01:00").replace("}", ",\"Owner\":{\"id\":\"1\"}}")))
                .isEqualTo("INVALID_DATA:Owner");

        Zoho.Response r = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Inbound", "4m") + "]}");
        assertThat(r.json().at("/data/0/details/json_path").asText()).isEqualTo("$.data[0].Call_Duration");
    }

    @Test
    void mandatoryFieldsPerModule() {
        assertThat(error("Leads", "{\"Last_Name\":\"X\"}")).isEqualTo("MANDATORY_NOT_FOUND:Company");
        assertThat(error("Contacts", "{\"First_Name\":\"X\"}")).isEqualTo("MANDATORY_NOT_FOUND:Last_Name");
        assertThat(error("Tasks", "{\"Status\":\"Not Started\"}")).isEqualTo("MANDATORY_NOT_FOUND:Subject");
        assertThat(error("Deals", "{\"Deal_Name\":\"D\"}")).isEqualTo("MANDATORY_NOT_FOUND:Stage");
        assertThat(error("Accounts", "{\"Phone\":\"1\"}")).isEqualTo("MANDATORY_NOT_FOUND:Account_Name");
        assertThat(error("Leads", "{\"Last_Name\":\"X\",\"Company\":\"Y\",\"Email\":\"not-an-email\"}"))
                .isEqualTo("INVALID_DATA:Email");
    }

    @Test
    void moreThan100RecordsIsRejectedWhole() {
        String one = call("Inbound", "01:00");
        String body = "{\"data\":[" + String.join(",", java.util.Collections.nCopies(101, one)) + "]}";
        Zoho.Response r = zoho.post("/crm/v8/Calls", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(sb.records("Calls")).isEmpty();
    }

    @Test
    void updatesOneOrManyAndChecksTheMergedRecord() {
        String id = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Inbound", "01:00") + "]}").json()
                .at("/data/0/details/id").asText();
        Zoho.Response one = zoho.put("/crm/v8/Calls/" + id, "{\"data\":[{\"Description\":\"notes\"}]}");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().at("/data/0/message").asText()).isEqualTo("record updated");
        assertThat(sb.record("Calls", id)).containsEntry("Description", "notes").containsEntry("Subject", "Call");

        Zoho.Response zero = zoho.put("/crm/v8/Calls/" + id, "{\"data\":[{\"Call_Duration\":\"00:00\"}]}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().at("/data/0/code").asText()).isEqualTo("DEPENDENT_MISMATCH");

        Zoho.Response bulk = zoho.put("/crm/v8/Calls", "{\"data\":[{\"id\":\"" + id + "\",\"Subject\":\"S2\"},"
                + "{\"id\":\"5725767000000000001\",\"Subject\":\"x\"},{\"Subject\":\"no id\"}]}");
        assertThat(bulk.status()).isEqualTo(207);
        assertThat(bulk.json().at("/data/1/code").asText()).isEqualTo("INVALID_DATA");
        assertThat(bulk.json().at("/data/1/message").asText()).isEqualTo("the id given seems to be invalid");
        assertThat(bulk.json().at("/data/2/code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(sb.record("Calls", id)).containsEntry("Subject", "S2");
    }

    @Test
    void uniqueFieldClashIsDuplicateDataWithTheExistingId() {
        sb.uniqueField("Calls", "SCC_Call_ID");
        String withKey = call("Inbound", "01:00").replace("}", ",\"SCC_Call_ID\":\"tel-9\"}");
        String id = zoho.post("/crm/v8/Calls", "{\"data\":[" + withKey + "]}").json().at("/data/0/details/id").asText();
        Zoho.Response dup = zoho.post("/crm/v8/Calls", "{\"data\":[" + withKey + "]}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().at("/data/0/code").asText()).isEqualTo("DUPLICATE_DATA");
        assertThat(dup.json().at("/data/0/details/api_name").asText()).isEqualTo("SCC_Call_ID");
        assertThat(dup.json().at("/data/0/details/duplicate_record/id").asText()).isEqualTo(id);
    }

    @Test
    void upsertWorksForLeadsAndIsRefusedForCalls() {
        Zoho.Response calls = zoho.post("/crm/v8/Calls/upsert", "{\"data\":[" + call("Inbound", "01:00") + "]}");
        assertThat(calls.status()).isEqualTo(400);
        assertThat(calls.json().get("code").asText()).isEqualTo("NOT_SUPPORTED");
        assertThat(sb.records("Calls")).isEmpty();

        String lead = "{\"Last_Name\":\"Boyle\",\"Company\":\"C\",\"Email\":\"p@example.com\"}";
        Zoho.Response first = zoho.post("/crm/v8/Leads/upsert",
                "{\"data\":[" + lead + "],\"duplicate_check_fields\":[\"Email\"]}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().at("/data/0/action").asText()).isEqualTo("insert");
        Zoho.Response second = zoho.post("/crm/v8/Leads/upsert",
                "{\"data\":[" + lead.replace("\"C\"", "\"C2\"") + "]}");
        assertThat(second.json().at("/data/0/action").asText()).isEqualTo("update");
        assertThat(second.json().at("/data/0/duplicate_field").asText()).isEqualTo("Email");
        assertThat(second.json().at("/data/0/details/id").asText())
                .isEqualTo(first.json().at("/data/0/details/id").asText());
    }

    @Test
    void listNeedsFieldsAndRelatedListFollowsLookups() {
        assertThat(zoho.get("/crm/v8/Leads").json().get("code").asText()).isEqualTo("REQUIRED_PARAM_MISSING");
        JsonNode list = zoho.get("/crm/v8/Leads?fields=Last_Name,Company").json();
        assertThat(list.at("/data/0/Last_Name").asText()).isEqualTo("Rivera");
        assertThat(list.at("/data/0/id").asText()).isEqualTo(lead);
        assertThat(list.at("/info/more_records").asBoolean()).isFalse();

        String deal = sb.seedRecord("Deals", Map.of("Deal_Name", "Big", "Stage", "Qualification",
                "Contact_Name", Map.of("id", contact)));
        sb.seedRecord("Deals", Map.of("Deal_Name", "Other", "Stage", "Qualification"));
        JsonNode deals = zoho.get("/crm/v8/Contacts/" + contact + "/Deals?fields=Deal_Name,Stage").json();
        assertThat(deals.get("data")).hasSize(1);
        assertThat(deals.at("/data/0/id").asText()).isEqualTo(deal);
        assertThat(zoho.get("/crm/v8/Contacts/" + contact + "/Calls?fields=Subject").status()).isEqualTo(204);
    }

    @Test
    void notesAttachToAParent() {
        String id = zoho.post("/crm/v8/Calls", "{\"data\":[" + call("Inbound", "01:00") + "]}").json()
                .at("/data/0/details/id").asText();
        Zoho.Response note = zoho.post("/crm/v8/Notes", "{\"data\":[{\"Parent_Id\":{\"module\":{\"api_name\":"
                + "\"Calls\"},\"id\":\"" + id + "\"},\"Note_Title\":\"Transcript\",\"Note_Content\":\"https://t\"}]}");
        assertThat(note.status()).isEqualTo(201);
        assertThat(zoho.post("/crm/v8/Leads/" + lead + "/Notes", "{\"data\":[{\"Note_Content\":\"hi\"}]}").status())
                .isEqualTo(201);
        assertThat(zoho.post("/crm/v8/Notes", "{\"data\":[{\"Note_Title\":\"t\",\"Parent_Id\":{\"module\":"
                + "{\"api_name\":\"Calls\"},\"id\":\"" + id + "\"}}]}").json().at("/data/0/code").asText())
                .isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(sb.records("Notes")).hasSize(2);
    }

    @Test
    void usersByTypeAndById() {
        JsonNode all = zoho.get("/crm/v8/users?type=ActiveUsers").json();
        assertThat(all.get("users")).hasSize(1);
        JsonNode u = all.at("/users/0");
        assertThat(u.get("id").asText()).isEqualTo(ana);
        assertThat(u.get("email").asText()).isEqualTo("ana@example.com");
        assertThat(u.get("full_name").asText()).isEqualTo("Ana Agent");
        assertThat(u.get("status").asText()).isEqualTo("active");
        assertThat(u.at("/profile/name").asText()).isEqualTo("Administrator");
        assertThat(all.at("/info/count").asInt()).isEqualTo(1);
        assertThat(all.at("/info/more_records").asBoolean()).isFalse();
        assertThat(zoho.get("/crm/v8/users?type=CurrentUser").json().at("/users/0/id").asText()).isEqualTo(ana);
        assertThat(zoho.get("/crm/v8/users?type=DeletedUsers").json().at("/users/0/email").asText())
                .isEqualTo("gone@example.com");
        assertThat(zoho.get("/crm/v8/users/" + ana).json().at("/users/0/full_name").asText()).isEqualTo("Ana Agent");
    }

    @Test
    void fieldMetadataShowsOurCustomFieldAndPicklists() {
        JsonNode fields = zoho.get("/crm/v8/settings/fields?module=Calls").json().get("fields");
        assertThat(fields.findValuesAsText("api_name")).contains("SCC_Call_ID", "Outgoing_Call_Status", "Call_Type");
        for (JsonNode f : fields) {
            if (f.get("api_name").asText().equals("Call_Type")) {
                assertThat(f.get("pick_list_values").findValuesAsText("actual_value"))
                        .containsExactly("Inbound", "Outbound", "Missed");
                assertThat(f.get("system_mandatory").asBoolean()).isTrue();
            }
            if (f.get("api_name").asText().equals("SCC_Call_ID")) {
                assertThat(f.get("custom_field").asBoolean()).isTrue();
                assertThat(f.get("data_type").asText()).isEqualTo("text");
            }
        }
    }

    private String firstError(String record) {
        JsonNode item = zoho.post("/crm/v8/Calls", "{\"data\":[" + record + "]}").json().at("/data/0");
        return item.get("code").asText() + ":" + (item.at("/details/api_name").isMissingNode() ? "null"
                : item.at("/details/api_name").asText());
    }

    private String error(String module, String record) {
        JsonNode item = zoho.post("/crm/v8/" + module, "{\"data\":[" + record + "]}").json().at("/data/0");
        return item.get("code").asText() + ":" + item.at("/details/api_name").asText();
    }

    static String call(String type, String duration) {
        return "{\"Subject\":\"Call\",\"Call_Type\":\"" + type + "\",\"Call_Start_Time\":\"2025-05-10T14:32:05+02:00\","
                + "\"Call_Duration\":\"" + duration + "\"}";
    }
}
