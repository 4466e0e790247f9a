package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SettingsException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of the optional routes that need no Zoho: business days, expiring links, settings checks. */
class FeatureRulesTest {

    @Test
    void businessDaysSkipTheWeekend() {
        LocalDate friday = LocalDate.of(2026, 11, 27);
        assertThat(FollowupTasks.businessDaysAfter(friday, 0)).isEqualTo(friday);
        assertThat(FollowupTasks.businessDaysAfter(friday, 1)).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(FollowupTasks.businessDaysAfter(LocalDate.of(2026, 11, 28), 1)).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(FollowupTasks.businessDaysAfter(LocalDate.of(2026, 11, 24), 5)).isEqualTo(LocalDate.of(2026, 12, 1));
    }

    @Test
    void preSignedLinksAreExpiring() {
        RecordingLinks links = new RecordingLinks(FeatureSettings.from(Settings.of(Map.of())), null, null, null, new SimpleMeterRegistry());
        assertThat(links.expiring("https://bucket.s3.amazonaws.com/r.mp3?X-Amz-Algorithm=AWS4&x-amz-expires=600&X-Amz-Signature=ab")).isTrue();
        assertThat(links.expiring("https://storage.googleapis.com/r.mp3?X-Goog-Expires=900")).isTrue();
        assertThat(links.expiring("https://acct.blob.core.windows.net/r.mp3?sv=2024&se=2026-11-24T10%3A00Z&sig=x")).isTrue();
        assertThat(links.expiring("https://cdn.example/r.mp3?Expires=1700000000&Signature=x&Key-Pair-Id=y")).isTrue();
        assertThat(links.expiring("https://assets.aircall.io/recording/123")).isFalse();
        assertThat(links.expiring("https://rec.example/r/1?download=1")).isFalse();
        assertThat(links.permanent("https://rec.example/r/1")).isEqualTo("https://rec.example/r/1");
        assertThat(links.permanent("https://rec.example/r/1?X-Amz-Expires=600")).isNull();
    }

    @Test
    void badSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.followup-tasks.priority", "Urgent"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FOLLOWUP_TASKS_PRIORITY");
        // a renamed setting given under its former name is still read, and the error names both
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.followup.priority", "Urgent"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FOLLOWUP_TASKS_PRIORITY")
                .hasMessageContaining("formerly SCC_FOLLOWUP_PRIORITY");
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.deal-links.policy", "deals"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DEAL_LINKS_POLICY");
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.feature.names", "followup-tasks",
                "scc.feature.followup-tasks.description", "Tasks", "scc.feature.followup-tasks.enabled", "maybe"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FEATURE_FOLLOWUP_TASKS_ENABLED");
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.followup-tasks.escalation-owner-id", "lead@acme"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FOLLOWUP_TASKS_ESCALATION_OWNER_ID");
        assertThatThrownBy(() -> FeatureSettings.from(Settings.of(Map.of("scc.feature.refresh-interval", "soon"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FEATURE_REFRESH_INTERVAL");
        assertThat(FeatureSettings.from(Settings.of(Map.of())).dealLinksPolicy()).isEqualTo("deal-then-account");
    }

    @Test
    void theCatalogueIsDeclaredInTheSettings() {
        assertThat(FeatureSwitches.catalogue(Settings.of(Map.of("scc.feature.names", "followup-tasks, call-summaries",
                "scc.feature.followup-tasks.description", "Tasks", "scc.feature.followup-tasks.enabled", "true",
                "scc.feature.call-summaries.description", "Summaries", "scc.feature.call-summaries.enabled", "off"))))
                .containsExactly(new FeatureSwitches.Feature("followup-tasks", "Tasks", true),
                        new FeatureSwitches.Feature("call-summaries", "Summaries", false));
        // every feature states its description and its default: no default hidden in Java
        assertThatThrownBy(() -> FeatureSwitches.catalogue(Settings.of(Map.of("scc.feature.names", "call-summaries",
                "scc.feature.call-summaries.enabled", "true"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FEATURE_CALL_SUMMARIES_DESCRIPTION");
        assertThatThrownBy(() -> FeatureSwitches.catalogue(Settings.of(Map.of("scc.feature.names", "call-summaries",
                "scc.feature.call-summaries.description", "Summaries"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FEATURE_CALL_SUMMARIES_ENABLED");
        assertThatThrownBy(() -> FeatureSwitches.catalogue(Settings.of(Map.of("scc.feature.names", "Deal Links"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_FEATURE_NAMES");
    }
}
