package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tenant registry: who the tenants are, whether each is active, its secrets (webhook, providers), its own
 * settings and its agent map. Reads go through short-lived caches ({@code scc.tenants.cache-ttl}), so a change made on
 * one instance reaches every instance within that time, and nothing loads all tenants at start. The tenant
 * {@link #DEFAULT} always exists: its secrets are the configuration's and its agents {@code config/agents.yaml}.
 */
public final class Tenants {

    public static final String DEFAULT = "default";
    /** How long the secret before a rotation is still accepted (the contract: rotation without a lost event). */
    public static final Duration ROTATION_GRACE = Duration.ofHours(24);

    /**
     * Provider → the name of its webhook secret (interface.md, "Tenants"), and the setting holding the default
     * tenant's.
     */
    public static final Map<String, String> PROVIDER_SECRETS = orderedMap(
            "twilio", "authToken", "aircall", "token", "ringcentral", "verificationToken",
            "vonage", "signatureSecret", "asterisk", "webhookSecret", "3cx", "apiKey");
    private static final Map<String, String> PROVIDER_SETTINGS = Map.of(
            "twilio", "scc.twilio.auth-token", "aircall", "scc.aircall.token", "ringcentral", "scc.ringcentral.verification-token",
            "vonage", "scc.vonage.signature-secret", "asterisk", "scc.asterisk.webhook-secret", "3cx", "scc.3cx.api-key");

    private static final Logger LOG = LoggerFactory.getLogger("scc.tenants");
    private static final int MAX_AGENTS = 10_000;

    public record Created(String id, String name, String adminToken, String webhookSecret, Instant createdAt) {
        /** Never shows the two secrets (this record is answered once, never logged). */
        @Override
        public String toString() {
            return "Created[id=" + id + ", name=" + name + ", createdAt=" + createdAt + "]";
        }
    }

    public record Tenant(String id, String name, Instant createdAt, Instant disabledAt) {
        public boolean active() {
            return disabledAt == null;
        }
    }

    public record Agent(String agent, String zohoUserId) {
    }

    /** What the caches keep of one tenant: the row with its secrets opened. */
    private record Snapshot(Tenant tenant, String webhookSecret, String previousWebhookSecret, Instant previousUntil,
                            TenantSettings settings, Map<String, String> providerSecrets) {
    }

    private final TenantRepository repository;
    private final Optional<TokenCipher> cipher;
    private final Settings config;
    private final TenantSettings deployment;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Optional<Snapshot>> snapshots;
    private final Cache<String, Map<String, String>> agents;

    /**
     * {@code deployment}: the deployment's value of each tenant setting, what an unset one falls back to.
     * {@code cacheTtl}, {@code cacheSize}: how long and how many tenants' reads are kept.
     */
    Tenants(TenantRepository repository, Optional<TokenCipher> cipher, Settings config, TenantSettings deployment,
            ObjectMapper mapper, Clock clock, Duration cacheTtl, long cacheSize) {
        this.repository = repository;
        this.cipher = cipher;
        this.config = config;
        this.deployment = deployment;
        this.mapper = mapper;
        this.clock = clock;
        this.snapshots = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
        this.agents = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    public static boolean validId(String id) {
        return com.simplecallcenter.zohosync.http.Tenancy.validId(id);
    }

    // ------------------------------------------------------------------ the registry

    /** A new tenant with a fresh admin token and webhook secret, shown only in the answer; 400 bad id, 409 taken. */
    public Created create(String id, String name) {
        List<FieldError> errors = new ArrayList<>();
        if (!validId(id)) {
            errors.add(new FieldError("id", "must match ^[a-z0-9][a-z0-9-]{1,39}$ (lower-case letters, digits, '-'; 2 to 40)"));
        }
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 200 || n.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "is required: 1 to 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("a tenant needs an id and a name", errors);
        }
        if (DEFAULT.equals(id)) {
            throw conflict("the tenant 'default' always exists: it is the deployment's own configuration");
        }
        TokenCipher c = cipher();
        String adminToken = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!repository.insert(id, n, sha256(adminToken), c.currentKeyId(), c.seal(webhookSecret, webhookColumn(id)), now)) {
            throw conflict("a tenant '" + id + "' exists already (ids of disabled tenants are not reused)");
        }
        snapshots.invalidate(id);
        LOG.info("tenant {} created", id);
        return new Created(id, n, adminToken, webhookSecret, now);
    }

    /** Every tenant, the default first, disabled ones included. */
    public List<Tenant> list() {
        return repository.list().stream().map(Tenants::tenant)
                .sorted((a, b) -> DEFAULT.equals(a.id()) ? -1 : DEFAULT.equals(b.id()) ? 1 : a.id().compareTo(b.id())).toList();
    }

    /** The tenant, active or disabled. */
    public Optional<Tenant> find(String id) {
        return snapshot(id).map(Snapshot::tenant);
    }

    /** Whether the tenant exists and is not disabled; the default always is. */
    public boolean active(String id) {
        return DEFAULT.equals(id) || find(id).map(Tenant::active).orElse(false);
    }

    /** Disables the tenant (its webhooks and admin token stop working); false if it is unknown or disabled already. */
    public boolean disable(String id) {
        if (DEFAULT.equals(id)) {
            throw conflict("the tenant 'default' cannot be disabled: it is the deployment's own configuration");
        }
        boolean done = validId(id) && repository.disable(id, clock.instant());
        invalidate(id);
        if (done) {
            LOG.info("tenant {} disabled", id);
        }
        return done;
    }

    // ------------------------------------------------------------------ secrets

    /** The canonical webhook secrets to accept: the current one, and the previous one within 24 h of a rotation. */
    public List<String> webhookSecrets(String id) {
        if (DEFAULT.equals(id)) {
            return config.optional("scc.webhook.secret").map(List::of).orElse(List.of());
        }
        Optional<Snapshot> s = snapshot(id).filter(x -> x.tenant().active());
        if (s.isEmpty() || s.get().webhookSecret() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(s.get().webhookSecret()));
        if (s.get().previousWebhookSecret() != null && clock.instant().isBefore(s.get().previousUntil())) {
            out.add(s.get().previousWebhookSecret());
        }
        return List.copyOf(out);
    }

    /** A new webhook secret; the one it replaces is accepted for {@link #ROTATION_GRACE} more. 409 for the default. */
    public Rotated rotateWebhookSecret(String id) {
        if (DEFAULT.equals(id)) {
            throw conflict("the default tenant's webhook secret is SCC_WEBHOOK_SECRET in the configuration");
        }
        TokenCipher c = cipher();
        Snapshot s = snapshot(id).filter(x -> x.tenant().active()).orElseThrow(() -> ProblemException.notFound("no tenant '" + id + "'"));
        String next = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
        Instant until = clock.instant().plus(ROTATION_GRACE).truncatedTo(ChronoUnit.MICROS);
        String previous = s.webhookSecret();
        if (!repository.rotateWebhookSecret(id, c.currentKeyId(), c.seal(next, webhookColumn(id)),
                previous == null ? null : c.seal(previous, previousWebhookColumn(id)), previous == null ? null : until)) {
            throw ProblemException.notFound("no tenant '" + id + "'");
        }
        snapshots.invalidate(id);
        LOG.info("tenant {}: webhook secret rotated, the previous one is accepted until {}", id, until);
        return new Rotated(next, previous == null ? null : until);
    }

    /** The answer of a rotation: the new secret (shown once), and until when the previous one is still accepted. */
    public record Rotated(String webhookSecret, Instant previousValidUntil) {
        @Override
        public String toString() {
            return "Rotated[previousValidUntil=" + previousValidUntil + "]";
        }
    }

    /**
     * A provider's webhook secret of the tenant ({@link #PROVIDER_SECRETS}), decrypted; empty when unset (that
     * provider's webhook then answers 404). The default tenant's are the configuration's ({@code SCC_TWILIO_AUTH_TOKEN}, …).
     */
    public Optional<String> providerSecret(String tenant, String provider, String name) {
        if (!name.equals(PROVIDER_SECRETS.get(provider))) {
            return Optional.empty();
        }
        if (DEFAULT.equals(tenant)) {
            return config.optional(PROVIDER_SETTINGS.get(provider));
        }
        return snapshot(tenant).filter(s -> s.tenant().active()).map(s -> s.providerSecrets().get(provider + "." + name));
    }

    /** The providers whose secret the tenant has set (never the secrets). */
    public List<String> providers(String tenant) {
        return PROVIDER_SECRETS.keySet().stream()
                .filter(p -> providerSecret(tenant, p, PROVIDER_SECRETS.get(p)).isPresent()).toList();
    }

    // ------------------------------------------------------------------ settings

    /** The tenant's own settings (null: unset). */
    public TenantSettings settings(String id) {
        return snapshot(id).map(Snapshot::settings).orElse(TenantSettings.NONE);
    }

    /** The settings in force for the tenant: its own, else the deployment's. */
    public TenantSettings effectiveSettings(String id) {
        return settings(id).orElse(deployment);
    }

    /**
     * PATCH semantics: each field sent is set (checked), null clears it back to the deployment's; {@code providers}
     * sets or (null) removes provider secrets. Every problem of the body is one 400; nothing is stored then.
     */
    public TenantSettings updateSettings(String id, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("send a JSON object of settings, e.g. {\"createMissing\": \"Contacts\"}", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        TenantSettings.Patch p = TenantSettings.patch(patch, mapper, errors);
        List<TenantRepository.SealedSecret> secrets = providerSecrets(id, patch.get("providers"), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid settings: nothing was changed", errors);
        }
        if (!repository.updateSettings(id, p.set().toString(), p.clear(), secrets)) {
            throw ProblemException.notFound("no tenant '" + id + "'");
        }
        snapshots.invalidate(id);
        Set<String> changed = new TreeSet<>(p.clear());
        p.set().fieldNames().forEachRemaining(changed::add);
        secrets.forEach(s -> changed.add("providers." + s.provider()));
        LOG.info("tenant {}: settings changed: {}", id, changed);
        return settings(id);
    }

    /** The sealed provider secrets of a PATCH's {@code providers} object (value null: remove). */
    private List<TenantRepository.SealedSecret> providerSecrets(String id, JsonNode providers, List<FieldError> errors) {
        List<TenantRepository.SealedSecret> out = new ArrayList<>();
        if (providers == null) {
            return out;
        }
        if (DEFAULT.equals(id)) {
            errors.add(new FieldError("providers", "the default tenant's provider secrets are its configuration's (SCC_TWILIO_AUTH_TOKEN, …)"));
            return out;
        }
        if (!providers.isObject()) {
            errors.add(new FieldError("providers", "must be an object such as {\"twilio\": {\"authToken\": \"...\"}}"));
            return out;
        }
        providers.fields().forEachRemaining(p -> {
            String provider = p.getKey();
            String secretName = PROVIDER_SECRETS.get(provider);
            if (secretName == null) {
                errors.add(new FieldError("providers." + clip(provider), "is not a provider; known: " + String.join(", ", PROVIDER_SECRETS.keySet())));
                return;
            }
            JsonNode v = p.getValue();
            if (v.isNull()) {
                out.add(new TenantRepository.SealedSecret(provider, secretName, null, null));
                return;
            }
            if (!v.isObject()) {
                errors.add(new FieldError("providers." + provider, "must be {\"" + secretName + "\": \"...\"} or null"));
                return;
            }
            v.fields().forEachRemaining(s -> {
                String field = "providers." + provider + "." + clip(s.getKey());
                if (!s.getKey().equals(secretName)) {
                    errors.add(new FieldError(field, "is not a secret of " + provider + "; it has " + secretName));
                } else if (s.getValue().isNull()) {
                    out.add(new TenantRepository.SealedSecret(provider, secretName, null, null));
                } else if (!s.getValue().isTextual() || !validSecret(provider, s.getValue().asText())) {
                    errors.add(new FieldError(field, provider.equals("asterisk")
                            ? "must have the form whsec_<base64 of 24 to 64 random bytes>"
                            : "must be the secret as text (1 to 1024 printable characters)"));
                } else if (cipher.isEmpty()) {
                    errors.add(new FieldError(field, "cannot be stored: SCC_TOKEN_KEY is not set"));
                } else {
                    TokenCipher c = cipher.get();
                    out.add(new TenantRepository.SealedSecret(provider, secretName, c.currentKeyId(),
                            c.seal(s.getValue().asText(), providerColumn(id, provider, secretName))));
                }
            });
        });
        return out;
    }

    private static boolean validSecret(String provider, String v) {
        if (v.isEmpty() || v.length() > 1024 || !v.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            return false;
        }
        if (!provider.equals("asterisk")) {
            return true;
        }
        if (!v.startsWith("whsec_")) {
            return false;
        }
        try {
            int n = Base64.getDecoder().decode(v.substring(6)).length;
            return n >= 24 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ agents

    /** The tenant's agent (id or lower-cased email) → Zoho user id. The default tenant's is config/agents.yaml (not here). */
    public Map<String, String> agents(String id) {
        if (DEFAULT.equals(id)) {
            throw defaultAgents();
        }
        return agents.get(id, k -> java.util.Collections.unmodifiableMap(repository.agents(k)));
    }

    /** Replaces the tenant's whole agent map (PUT). 400 for a bad item, 409 for the default tenant. */
    public Map<String, String> putAgents(String id, List<Agent> items) {
        if (DEFAULT.equals(id)) {
            throw defaultAgents();
        }
        List<FieldError> errors = new ArrayList<>();
        if (items.size() > MAX_AGENTS) {
            errors.add(new FieldError("items", "at most " + MAX_AGENTS + " agents"));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size() && errors.size() < 20; i++) {
            Agent a = items.get(i);
            String agent = a.agent() == null ? "" : a.agent().trim();
            agent = agent.contains("@") ? agent.toLowerCase(Locale.ROOT) : agent;
            if (agent.isEmpty() || agent.length() > 320 || agent.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("items[" + i + "].agent", "is required: the agent's id or email, at most 320 characters"));
            } else if (map.containsKey(agent)) {
                errors.add(new FieldError("items[" + i + "].agent", "is listed twice"));
            }
            if (a.zohoUserId() == null || !a.zohoUserId().matches("[0-9]{1,19}")) {
                errors.add(new FieldError("items[" + i + "].zohoUserId", "must be a Zoho user id (digits)"));
            }
            map.put(agent, a.zohoUserId());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid agents: nothing was changed", errors);
        }
        repository.replaceAgents(id, map);
        agents.invalidate(id);
        LOG.info("tenant {}: agent map replaced ({} agents)", id, map.size());
        return agents(id);
    }

    private static ProblemException defaultAgents() {
        return conflict("the default tenant's agents are config/agents.yaml (scc.sync.agents-file): edit that file");
    }

    // ------------------------------------------------------------------ admin tokens (TenantAuth)

    /** The active tenant whose admin token this is; by its SHA-256, the only form stored. */
    Optional<String> tenantOfAdminToken(String token) {
        return repository.activeTenantOfToken(sha256(token));
    }

    static String sha256(String token) {
        return com.simplecallcenter.zohosync.http.SecretHash.of(token);
    }

    // ------------------------------------------------------------------ reading through the cache

    private Optional<Snapshot> snapshot(String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        return snapshots.get(id, this::load);
    }

    private void invalidate(String id) {
        snapshots.invalidate(id);
        agents.invalidate(id);
    }

    private Optional<Snapshot> load(String id) {
        Optional<TenantRepository.Row> row = repository.find(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        TenantRepository.Row r = row.get();
        Map<String, String> providers = new LinkedHashMap<>();
        String current = null;
        String previous = null;
        try {
            if (r.webhookSecret() != null) {
                current = cipher().open(r.webhookSecret(), r.keyId(), webhookColumn(id));
            }
            if (r.previousWebhookSecret() != null) {
                previous = cipher().open(r.previousWebhookSecret(), r.keyId(), previousWebhookColumn(id));
            }
            for (TenantRepository.SealedSecret s : repository.providerSecrets(id)) {
                providers.put(s.provider() + "." + s.name(), cipher().open(s.value(), s.keyId(), providerColumn(id, s.provider(), s.name())));
            }
        } catch (IllegalStateException | ProblemException e) {
            // a lost or wrong SCC_TOKEN_KEY: this tenant's webhooks are refused (401/404) until the key is back
            LOG.error("tenant {}: its secrets cannot be opened ({}); its webhooks are refused", id, e.getMessage());
            current = null;
            previous = null;
            providers.clear();
        }
        TenantSettings settings;
        try {
            settings = TenantSettings.fromJson(mapper.readTree(r.settingsJson()));
        } catch (Exception e) {
            throw new IllegalStateException("tenant " + id + ": stored settings are not JSON", e);
        }
        return Optional.of(new Snapshot(tenant(r), current, previous, r.previousUntil(), settings, Map.copyOf(providers)));
    }

    private static Tenant tenant(TenantRepository.Row r) {
        return new Tenant(r.id(), r.name(), r.createdAt(), r.disabledAt());
    }

    private TokenCipher cipher() {
        return cipher.orElseThrow(() -> new ProblemException(409, "Conflict", "token-key-missing",
                "SCC_TOKEN_KEY is not set: tenants' secrets are stored encrypted under it"));
    }

    // the associated data of each sealed value: a ciphertext cannot be moved to another column or another tenant
    private static String webhookColumn(String id) {
        return "tenant.webhook_secret_enc:" + id;
    }

    private static String previousWebhookColumn(String id) {
        return "tenant.previous_webhook_secret_enc:" + id;
    }

    private static String providerColumn(String id, String provider, String name) {
        return "tenant_provider_secret:" + id + ":" + provider + ":" + name;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", "conflict", detail);
    }

    private static String clip(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) + "…" : safe;
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
