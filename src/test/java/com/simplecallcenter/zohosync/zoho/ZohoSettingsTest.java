package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.support.AppHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A malformed Zoho setting stops the start with one line naming it (never its secret value); missing ones do not. */
class ZohoSettingsTest {

    @Test
    void defaultsNeedNothing() {
        ZohoSettings s = ZohoSettings.from(Settings.of(Map.of()));
        assertThat(s.clientConfigured()).isFalse();
        assertThat(s.tokenKey()).isEmpty();
        assertThat(s.accountsUrl()).hasToString("https://accounts.zoho.com");
        assertThat(s.redirectUri()).isEqualTo("http://localhost:8080/oauth/zoho/callback");
        assertThat(s.maxConcurrency()).isEqualTo(10);
        assertThat(s.writeTriggers()).contains(List.of("workflow"));
        assertThat(s.writeBatchSize()).isEqualTo(10);
        assertThat(s.writeBatchInFlight()).isEqualTo(2);
        assertThat(s.scopes()).contains("ZohoCRM.modules.calls.ALL", "ZohoSearch.securesearch.READ").hasSize(11);
    }

    @Test
    void malformedValuesNameTheSetting() {
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.token.key", "c2hvcnQ="))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_TOKEN_KEY").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.token.previous-key", "not base64!"))))
                .hasMessageContaining("SCC_TOKEN_PREVIOUS_KEY");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("zoho.accounts-url", "https://accounts.zoho.eu/oauth"))))
                .hasMessageContaining("ZOHO_ACCOUNTS_URL");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("zoho.api-url", "ftp://x"))))
                .hasMessageContaining("ZOHO_API_URL");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("zoho.redirect-uri", "callback"))))
                .hasMessageContaining("ZOHO_REDIRECT_URI");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.max-concurrency", "0"))))
                .hasMessageContaining("SCC_ZOHO_MAX_CONCURRENCY");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-triggers", "workflow,blender"))))
                .hasMessageContaining("SCC_ZOHO_WRITE_TRIGGERS");
        // Zoho takes at most 100 records per write
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-batch-size", "101"))))
                .isInstanceOf(SettingsException.class).hasMessage("invalid setting SCC_ZOHO_WRITE_BATCH_SIZE (scc.zoho.write-batch-size): "
                        + "must be between 1 and 100 (got 101)");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-batch-size", "0"))))
                .hasMessageContaining("SCC_ZOHO_WRITE_BATCH_SIZE");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-batch-in-flight", "two"))))
                .hasMessageContaining("SCC_ZOHO_WRITE_BATCH_IN_FLIGHT").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-batch-in-flight", "0"))))
                .hasMessageContaining("SCC_ZOHO_WRITE_BATCH_IN_FLIGHT");
        assertThat(ZohoSettings.from(Settings.of(Map.of("scc.zoho.write-batch-size", "1"))).writeBatchSize()).isEqualTo(1);
    }

    @Test
    void toStringShowsNoSecret() {
        ZohoSettings s = ZohoSettings.from(Settings.of(Map.of("zoho.client-id", "1000.ID", "zoho.client-secret", "very-secret",
                "scc.token.key", AppHarness.TOKEN_KEY)));
        assertThat(s.toString()).contains("1000.ID").doesNotContain("very-secret").doesNotContain(AppHarness.TOKEN_KEY);
    }

    @Test
    void theServiceRefusesToStartOnABadKey() {
        assertThatThrownBy(() -> AppHarness.on("t_zoho_settings").withoutZoho().setting("scc.token.key", "dG9vIHNob3J0").start())
                .isInstanceOf(SettingsException.class)
                .hasMessage("invalid setting SCC_TOKEN_KEY (scc.token.key): must decode to 32 bytes (got 9)");
    }
}
