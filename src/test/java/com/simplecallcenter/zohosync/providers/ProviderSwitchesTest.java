package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A provider without its secret is switched off (404), unknown providers are 404, and bad settings stop the start. */
class ProviderSwitchesTest {

    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = AppHarness.on("t_prov_switches").withoutZoho().setting("scc.3cx.api-key", "only-3cx-is-on").start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static HttpResponse<String> post(String provider, String body, Map<String, String> headers) {
        return app.webhookJson(provider, null, body, headers);
    }

    private static void startWith(String key, String value) throws Exception {
        AppHarness.on("t_prov_badsettings").withoutZoho().setting(key, value).start().close();
    }

    @Test
    void providersWithoutSecretAndUnknownProvidersAre404() {
        for (String p : new String[]{"twilio", "aircall", "ringcentral", "vonage", "asterisk"}) {
            HttpResponse<String> r = post(p, "{}", Map.of());
            assertThat(r.statusCode()).as(p).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            // which setting would switch it on is the operator's business, not the caller's
            assertThat(r.body()).doesNotContain("SCC_").doesNotContain("scc.");
        }
        assertThat(post("skype", "{}", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("3cx", "{}", Map.of("X-Api-Key", "only-3cx-is-on")).statusCode()).isEqualTo(400);
        // a RingCentral handshake does not switch RingCentral on
        assertThat(post("ringcentral", "", Map.of("Validation-Token", "abc")).statusCode()).isEqualTo(404);
    }

    @Test
    void unreadableBodiesAre400AndMetricsCountEachOutcome() {
        assertThat(post("twilio", "{}", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("3cx", "{\"CallType\": ", Map.of("X-Api-Key", "only-3cx-is-on")).statusCode()).isEqualTo(400);
        assertThat(post("3cx", "[1,2]", Map.of("X-Api-Key", "only-3cx-is-on")).statusCode()).isEqualTo(400);
        HttpResponse<String> metrics = Http.get(app.baseUrl() + "/metrics");
        assertThat(metrics.body())
                .contains("scc_provider_webhooks_total{outcome=\"not-found\",provider=\"twilio\",tenant=\"default\"}")
                .contains("scc_provider_webhooks_total{outcome=\"invalid\",provider=\"3cx\",tenant=\"default\"}");
    }

    @Test
    void aBadPublicBaseUrlZoneOrAsteriskSecretStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> startWith("scc.public-base-url", "calls.example.com"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_PUBLIC_BASE_URL");
        assertThatThrownBy(() -> startWith("scc.asterisk.timezone", "CET+1"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ASTERISK_TIMEZONE");
        assertThatThrownBy(() -> startWith("scc.asterisk.webhook-secret", "plain-text"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ASTERISK_WEBHOOK_SECRET").hasMessageNotContaining("plain-text");
        assertThatThrownBy(() -> startWith("scc.3cx.keys", "nummer=Anrufer"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_3CX_KEYS").hasMessageContaining("nummer");
    }
}
