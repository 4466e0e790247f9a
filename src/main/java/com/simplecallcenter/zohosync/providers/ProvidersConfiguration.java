package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.config.ServiceSettings;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.TenantDirectory;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.Registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The beans of the provider webhooks ({@code routes/providers.camel.yaml}): per provider a verifier
 * ({@code twilioVerifier}, …) and an adapter ({@code twilioAdapter}, …), and {@code providerWebhooks} around them.
 * Settings are checked when this class is built, so a bad one stops the start with one line naming it.
 */
public final class ProvidersConfiguration {

    private final Settings settings;
    private final Clock clock;
    private final String publicBaseUrl;
    private final ZoneId asteriskZone;
    private final String defaultRegion;
    private final ServiceSettings service;
    private final StandardWebhookVerifier asteriskSignatures;
    private final ThreeCxKeys threeCxKeys;

    public ProvidersConfiguration(Settings settings, ServiceSettings service, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.service = service;
        this.publicBaseUrl = service.publicBaseUrl();
        String zone = settings.get("scc.asterisk.timezone");
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw Settings.invalid("scc.asterisk.timezone", "must be an IANA time zone name such as UTC or Europe/Berlin");
        }
        this.asteriskZone = ZoneId.of(zone);
        this.defaultRegion = service.defaultRegion();
        this.asteriskSignatures = new StandardWebhookVerifier(settings.optional("scc.asterisk.webhook-secret"),
                "scc.asterisk.webhook-secret", clock);
        try {
            this.threeCxKeys = ThreeCxKeys.parse(settings.optional("scc.3cx.keys").orElse(null));
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("scc.3cx.keys", "must be field=key pairs separated by commas: " + e.getMessage());
        }
    }

    public void bind(Registry r, EventInbox inbox, TenantDirectory tenants, Problems problems, MeterRegistry meters,
                     com.simplecallcenter.zohosync.http.FailureLimiter limiter) {
        ExtensionDirectory extensions = ExtensionDirectory.load(service.agentsFile());

        Map<String, ProviderVerifier> verifiers = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        bind(r, verifiers, secrets, "twilio", "scc.twilio.auth-token",
                new TwilioSignatureVerifier(settings.optional("scc.twilio.auth-token"), publicBaseUrl), new TwilioAdapter(clock));
        bind(r, verifiers, secrets, "aircall", "scc.aircall.token",
                new TokenVerifiers.Aircall(settings.optional("scc.aircall.token")), new AircallAdapter(clock));
        bind(r, verifiers, secrets, "ringcentral", "scc.ringcentral.verification-token",
                new TokenVerifiers.RingCentral(settings.optional("scc.ringcentral.verification-token")), new RingCentralAdapter(extensions));
        bind(r, verifiers, secrets, "vonage", "scc.vonage.signature-secret",
                new VonageJwtVerifier(settings.optional("scc.vonage.signature-secret"), clock), new VonageAdapter(clock));
        bind(r, verifiers, secrets, "asterisk", "scc.asterisk.webhook-secret",
                new TokenVerifiers.Asterisk(asteriskSignatures), new AsteriskCdrAdapter(extensions));
        bind(r, verifiers, secrets, "3cx", "scc.3cx.api-key",
                new TokenVerifiers.ThreeCx(settings.optional("scc.3cx.api-key")), new ThreeCxAdapter(extensions, threeCxKeys));

        // the other tenants' verifiers, made per request of the tenant's own secret (names as in the tenant settings API)
        Map<String, ProviderWebhooks.Secret> tenantSecrets = Map.of(
                "twilio", new ProviderWebhooks.Secret("authToken", s -> new TwilioSignatureVerifier(s, publicBaseUrl)),
                "aircall", new ProviderWebhooks.Secret("token", TokenVerifiers.Aircall::new),
                "ringcentral", new ProviderWebhooks.Secret("verificationToken", TokenVerifiers.RingCentral::new),
                "vonage", new ProviderWebhooks.Secret("signatureSecret", s -> new VonageJwtVerifier(s, clock)),
                "asterisk", new ProviderWebhooks.Secret("webhookSecret", s -> new TokenVerifiers.Asterisk(asteriskVerifier(s))),
                "3cx", new ProviderWebhooks.Secret("apiKey", TokenVerifiers.ThreeCx::new));
        r.bind("providerWebhooks", new ProviderWebhooks(verifiers, secrets, tenantSecrets, tenants, inbox, problems, meters,
                defaultRegion, asteriskZone, limiter));
    }

    /** A tenant's Asterisk secret; one that is not a whsec_ value switches the webhook off rather than failing each request. */
    private StandardWebhookVerifier asteriskVerifier(Optional<String> secret) {
        try {
            return new StandardWebhookVerifier(secret, "providers.asterisk.webhookSecret", clock);
        } catch (RuntimeException e) {
            return new StandardWebhookVerifier(Optional.empty(), "providers.asterisk.webhookSecret", clock);
        }
    }

    /** Binds {@code <name>Verifier} and {@code <name>Adapter} (3cx: {@code threeCxVerifier}, {@code threeCxAdapter}). */
    private static void bind(Registry r, Map<String, ProviderVerifier> verifiers, Map<String, String> secrets, String name,
                             String settingKey, ProviderVerifier verifier, ProviderAdapter adapter) {
        String bean = name.equals("3cx") ? "threeCx" : name;
        r.bind(bean + "Verifier", verifier);
        r.bind(bean + "Adapter", adapter);
        verifiers.put(name, verifier);
        secrets.put(name, Settings.envName(settingKey));
    }

    Optional<String> publicBaseUrl() {
        return Optional.of(publicBaseUrl);
    }
}
