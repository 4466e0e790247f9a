package com.simplecallcenter.zohosync.support;

import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings and the headless connect that put a test app in front of a Zoho sandbox, with short retry delays. */
public final class ConnectedZoho {

    public static final String ADMIN = "admin-token-for-zoho-tests";
    public static final String CLIENT_ID = "1000.SCCTESTCLIENT";
    public static final String CLIENT_SECRET = "scc-test-secret";
    public static final String TOKEN_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String SCOPES = "ZohoCRM.modules.leads.ALL,ZohoCRM.modules.contacts.ALL,ZohoCRM.modules.calls.ALL,"
            + "ZohoCRM.modules.tasks.ALL,ZohoCRM.modules.notes.ALL,ZohoCRM.modules.deals.READ,ZohoCRM.modules.accounts.READ,"
            + "ZohoCRM.users.READ,ZohoCRM.coql.READ,ZohoCRM.settings.fields.READ,ZohoSearch.securesearch.READ";

    private ConnectedZoho() {
    }

    /** Registers the test client at the sandbox and adds the user who connects (the CurrentUser); returns its id. */
    public static String prepare(ZohoSandbox sb) {
        sb.registerClient(CLIENT_ID, CLIENT_SECRET, "http://127.0.0.1:1/oauth/zoho/callback");
        return sb.addUser("admin@acme.example", "Ada Admin", "active");
    }

    /** App settings pointing at the sandbox, with sweep and retry delays short enough for tests. */
    public static Map<String, String> appSettings(ZohoSandbox sb) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.admin.token", ADMIN);
        s.put("scc.token.key", TOKEN_KEY);
        s.put("zoho.client-id", CLIENT_ID);
        s.put("zoho.client-secret", CLIENT_SECRET);
        s.put("zoho.accounts-url", sb.accountsUrl());
        s.put("zoho.api-url", sb.apiDomain());
        s.put("scc.zoho.trusted-accounts-servers", sb.accountsUrl());
        s.put("scc.sync.sweep-interval", "200");
        s.put("scc.sync.sweep-grace", "1s");
        s.put("scc.sync.redelivery.delay", "10");
        s.put("scc.sync.redelivery.max-delay", "100");
        s.put("scc.sync.park.delay", "500");
        s.put("scc.sync.park.max-delay", "1s");
        return s;
    }

    /** Connects the app on {@code port} with a self-client grant code, as an admin would (POST /api/v1/admin/zoho/grant). */
    public static void connect(int port, ZohoSandbox sb) {
        String code = sb.issueGrantCode(CLIENT_ID, SCOPES);
        HttpResponse<String> r = request(port, "POST", "/api/v1/admin/zoho/grant",
                "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + sb.accountsUrl() + "\"}", ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A request to the app, with the given bearer token ({@code null}: none). */
    public static HttpResponse<String> request(int port, String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return Http.send(b.build());
    }
}
