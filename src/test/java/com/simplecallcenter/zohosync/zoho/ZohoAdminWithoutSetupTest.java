package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The service with a Zoho client but no token key: it starts, and every Zoho endpoint says clearly why it cannot connect. */
class ZohoAdminWithoutSetupTest {

    static final String ADMIN = "admin-token-for-tests-0123456789abcdef";
    static AppHarness app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        // a Zoho client but no token key and no sandbox
        app = AppHarness.on("t_zoho_nosetup").withoutZoho()
                .settings(Map.of("scc.admin.token", ADMIN, "zoho.client-id", "1000.X", "zoho.client-secret", "s")).start();
        base = app.baseUrl();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        for (HttpRequest.Builder b : new HttpRequest.Builder[]{
                HttpRequest.newBuilder(URI.create(base + "/oauth/zoho/connect")).GET(),
                HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/zoho")).GET(),
                HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/zoho")).DELETE(),
                HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/zoho/grant")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"x\"}"))}) {
            HttpResponse<String> none = Http.send(b.build());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> wrong = Http.send(b.header("Authorization", "Bearer nope").build());
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void statusIsDisconnected() {
        HttpResponse<String> r = Http.send(admin("/api/v1/admin/zoho").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"connected\":false").contains("\"state\":\"disconnected\"");
    }

    @Test
    void connectSaysWhatIsMissing() {
        HttpResponse<String> r = Http.send(admin("/oauth/zoho/connect").GET().build());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("SCC_TOKEN_KEY");
        HttpResponse<String> g = Http.send(admin("/api/v1/admin/zoho/grant").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"1000.abc\"}")).build());
        assertThat(g.statusCode()).isEqualTo(409);
        assertThat(g.body()).contains("SCC_TOKEN_KEY");
        assertThat(g.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void disconnectWhenNotConnectedIs204() {
        assertThat(Http.send(admin("/api/v1/admin/zoho").DELETE().build()).statusCode()).isEqualTo(204);
    }

    @Test
    void syncCallersGetNotConnected() {
        ZohoClient client = app.zohoClient();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.users("ActiveUsers"))
                .isInstanceOf(ZohoNotConnectedException.class);
    }

    static HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN);
    }
}
