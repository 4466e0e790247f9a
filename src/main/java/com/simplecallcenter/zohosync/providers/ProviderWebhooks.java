package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.http.DatabaseUnavailable;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.RequestBodies;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.http.TenantDirectory;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.ops.LogSafe;
import com.simplecallcenter.zohosync.ops.Mask;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps of {@code POST /api/v1/webhooks/{provider}} around the provider's own verifier and adapter (route
 * {@code provider-webhook}): read the request (404 for an unknown or switched-off provider, 400 for a bad
 * {@code region}/{@code tz}, 413), answer RingCentral's subscription handshake, store every event of the request in one
 * transaction, answer 200 only after the commit; plus one log line and the {@code scc_provider_webhooks} counter.
 */
public class ProviderWebhooks {

    public static final String PROVIDER = "sccProvider";
    public static final String REQUEST = "sccProviderRequest";
    public static final String HANDSHAKE = "sccHandshake";
    public static final String ACCEPTED_CALL_IDS = "sccAcceptedCallIds";
    private static final String EVENTS = "sccProviderEvents";
    private static final String STORED = "sccProviderStored";
    private static final String STAGE = "sccProviderStage";
    private static final String VERIFIER = "sccProviderVerifier";
    private static final String VERIFIED = "sccProviderVerified";

    private static final Logger LOG = LoggerFactory.getLogger("scc.providers");

    private final Map<String, ProviderVerifier> verifiers;
    private final Map<String, String> secretSettings;
    private final Map<String, Secret> tenantSecrets;
    private final TenantDirectory tenants;
    private final com.simplecallcenter.zohosync.http.FailureLimiter limiter;
    private final EventInbox inbox;
    private final Problems problems;
    private final MeterRegistry registry;
    private final String defaultRegion;
    private final ZoneId defaultZone;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * How a tenant other than {@code default} switches a provider on: the name of its secret in the tenant's settings
     * ({@code providers.<provider>.<name>}) and how a verifier is made of it.
     */
    public record Secret(String name, java.util.function.Function<java.util.Optional<String>, ProviderVerifier> verifier) {
    }

    /**
     * @param verifiers      provider name → the tenant {@code default}'s verifier, from the deployment's configuration
     *                       (a provider whose verifier is not configured is switched off)
     * @param secretSettings provider name → the environment variable that switches it on (named in a debug log line)
     * @param tenantSecrets  provider name → how the other tenants' verifiers are made of their own secrets
     */
    public ProviderWebhooks(Map<String, ProviderVerifier> verifiers, Map<String, String> secretSettings,
                            Map<String, Secret> tenantSecrets, TenantDirectory tenants, EventInbox inbox,
                            Problems problems, MeterRegistry registry, String defaultRegion, ZoneId defaultZone,
                            com.simplecallcenter.zohosync.http.FailureLimiter limiter) {
        this.limiter = limiter;
        this.verifiers = Map.copyOf(verifiers);
        this.secretSettings = Map.copyOf(secretSettings);
        this.tenantSecrets = Map.copyOf(tenantSecrets);
        this.tenants = tenants;
        this.inbox = inbox;
        this.problems = problems;
        this.registry = registry;
        this.defaultRegion = defaultRegion;
        this.defaultZone = defaultZone;
    }

    /** First step: which provider, which region and zone, the raw body (bounded). The body becomes a {@link ProviderRequest}. */
    public void read(Exchange exchange) {
        Message m = exchange.getMessage();
        String tenant = Tenancy.of(exchange);
        tenants.requireActive(tenant);
        String name = m.getHeader("provider", String.class);
        String provider = name == null ? "" : name.toLowerCase(Locale.ROOT);
        ProviderVerifier verifier = verifiers.get(provider);
        if (verifier == null) {
            throw ProblemException.notFound("no provider webhook is named '" + (provider.matches("[a-z0-9-]{1,32}") ? provider : "?")
                    + "'; known: " + String.join(", ", new java.util.TreeSet<>(verifiers.keySet())));
        }
        exchange.setProperty(PROVIDER, provider);
        if (!Tenancy.DEFAULT.equals(tenant)) {
            // a tenant's own secret, never the deployment's: one customer's Twilio cannot post as another's
            Secret secret = tenantSecrets.get(provider);
            verifier = secret.verifier().apply(tenants.providerSecret(tenant, provider, secret.name()));
            if (!verifier.isConfigured()) {
                throw ProblemException.notFound("the " + provider + " webhook is not enabled for this tenant");
            }
        } else if (!verifier.isConfigured()) {
            // the answer does not say which setting would switch it on: that is for the operator's logs, not the caller
            LOG.debug("the {} webhook is not enabled ({} is not set)", provider, secretSettings.get(provider));
            throw ProblemException.notFound("the " + provider + " webhook is not enabled on this service");
        }
        exchange.setProperty(VERIFIER, verifier);
        boolean get = "GET".equalsIgnoreCase(m.getHeader(Exchange.HTTP_METHOD, String.class));
        if (get && !provider.equals("twilio")) {
            throw new ProblemException(405, "Method Not Allowed", "method-not-allowed",
                    "the " + provider + " webhook takes POST; only Twilio callbacks may also come as GET");
        }
        String rawQuery = m.getHeader(Exchange.HTTP_QUERY, "", String.class);
        ProviderRequest probe = new ProviderRequest(provider, null, Map.of(), "", rawQuery, null, null);
        List<FieldError> errors = new ArrayList<>();
        String region = probe.query("region");
        if (region != null && !(region.matches("[A-Za-z]{2}") && PhoneNumbers.isKnownRegion(region))) {
            errors.add(new FieldError("region", "must be an ISO 3166-1 alpha-2 region code such as US or DE"));
        }
        String tz = probe.query("tz");
        if (tz != null && !ZoneId.getAvailableZoneIds().contains(tz)) {
            errors.add(new FieldError("tz", "must be an IANA time zone name such as Europe/Berlin or Asia/Kolkata"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid query parameter(s) of the webhook URL", errors);
        }
        // a GET has no body to read (its parameters are the query string)
        byte[] body = get ? new byte[0] : RequestBodies.readBounded(exchange, RequestBodies.MAX_BYTES);
        Map<String, String> headers = new HashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (v instanceof String s && !k.startsWith("Camel")) {
                headers.put(k, s);
            }
        });
        ProviderRequest request = new ProviderRequest(provider, body, headers, path(m, tenant, provider), rawQuery,
                region == null ? tenantRegion(tenant) : region.toUpperCase(Locale.ROOT), tz == null ? defaultZone : ZoneId.of(tz), get)
                .forTenant(tenant);
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(HANDSHAKE, provider.equals("ringcentral") && request.header("Validation-Token") != null
                && new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank());
        m.setBody(request);
    }

    private String tenantRegion(String tenant) {
        return Tenancy.DEFAULT.equals(tenant) ? defaultRegion : tenants.defaultRegion(tenant);
    }

    /** Second step: the provider's own check (signature, token, JWT) with the tenant's secret; 401 otherwise. */
    public void verify(Exchange exchange) {
        // an address whose tokens or signatures failed too often is refused before this one is checked (429)
        limiter.check(exchange);
        exchange.getProperty(VERIFIER, ProviderVerifier.class).verify(exchange.getProperty(REQUEST, ProviderRequest.class));
        exchange.setProperty(VERIFIED, true);
    }

    private static String path(Message m, String tenant, String provider) {
        String uri = m.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null || uri.isEmpty()) {
            return (Tenancy.DEFAULT.equals(tenant) ? "/api/v1" : "/api/v1/tenants/" + tenant) + "/webhooks/" + provider;
        }
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /**
     * RingCentral's subscription handshake: 200 within 3 s echoing {@code Validation-Token}, the whole answer under
     * 1024 bytes. Nothing is stored; the token is not a secret of ours (RingCentral makes it up per subscription).
     */
    public void handshake(Exchange exchange) {
        ProviderRequest r = exchange.getProperty(REQUEST, ProviderRequest.class);
        String token = r.header("Validation-Token").trim();
        if (token.isEmpty() || token.length() > 512 || !token.matches("[\\x21-\\x7e]+")) {
            throw ProblemException.badRequest("Validation-Token is not a token",
                    List.of(new FieldError("Validation-Token", "must be 1 to 512 visible ASCII characters")));
        }
        Problems.respond(exchange, 200, "application/json", "");
        exchange.getMessage().setHeader("Validation-Token", token);
        count(exchange, "handshake");
        LOG.info("tenant={} provider={} status=200 outcome=handshake", r.tenant(), r.provider());
    }

    /** Stores the adapted events (the body) in one transaction; afterwards the accepted call ids are in {@link #ACCEPTED_CALL_IDS}. */
    @SuppressWarnings("unchecked")
    public void store(Exchange exchange) {
        List<CallEvent> events = exchange.getMessage().getBody(List.class);
        if (events == null) {
            events = List.of();
        }
        exchange.setProperty(EVENTS, events);
        ProviderRequest r = exchange.getProperty(REQUEST, ProviderRequest.class);
        exchange.setProperty(STAGE, "store");
        List<Boolean> isNew;
        try {
            isNew = events.isEmpty() ? List.of() : inbox.storeAll(r.tenant(), events, storedBody(r), r.provider());
        } catch (EventInbox.CallFullException e) {
            throw com.simplecallcenter.zohosync.ingest.CanonicalIngest.callFull(e);
        }
        exchange.setProperty(STORED, isNew);
        Set<String> callIds = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (isNew.get(i)) {
                callIds.add(events.get(i).callId());
            }
        }
        exchange.setProperty(ACCEPTED_CALL_IDS, new ArrayList<>(callIds));
    }

    /** The raw body as kept: Aircall's carries its webhook secret (the body's token), checked already and never stored. */
    private static byte[] storedBody(ProviderRequest r) {
        return "aircall".equals(r.provider()) ? AircallAdapter.withoutToken(r.json()) : r.body();
    }

    /** 200 with what happened to each event; sent only after {@link #store} committed. */
    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) {
        ProviderRequest r = exchange.getProperty(REQUEST, ProviderRequest.class);
        List<CallEvent> events = exchange.getProperty(EVENTS, List.class);
        List<Boolean> isNew = exchange.getProperty(STORED, List.class);
        int accepted = 0;
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("eventId", events.get(i).eventId());
            item.put("callId", events.get(i).callId());
            item.put("status", isNew.get(i) ? "accepted" : "duplicate");
            items.add(item);
            accepted += isNew.get(i) ? 1 : 0;
        }
        String outcome = events.isEmpty() ? "ignored" : accepted > 0 ? "accepted" : "duplicate";
        if ("twilio".equals(r.provider()) && r.isForm() && TwilioAdapter.isDialAction(r.form())) {
            // a <Dial action> request expects TwiML: an empty Response ends the call where it stands. Written like
            // every answer (Problems.respond drops the request's headers, which Jetty would otherwise echo)
            Problems.respond(exchange, 200, "text/xml; charset=utf-8", TwilioAdapter.DIAL_ACTION_TWIML);
        } else {
            respondJson(exchange, r, events, items, accepted);
        }
        count(exchange, outcome);
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        CallEvent first = events.isEmpty() ? null : events.get(0);
        LOG.info("tenant={} provider={} status=200 outcome={} events={} accepted={} callId={} type={} status={} from={} to={} ms={}",
                r.tenant(), r.provider(), outcome, events.size(), accepted, first == null ? "-" : LogSafe.text(first.callId()),
                first == null ? "-" : first.type(), first == null || first.status() == null ? "-" : first.status(),
                Mask.phone(first == null ? null : first.from()), Mask.phone(first == null ? null : first.to()), ms);
    }

    private void respondJson(Exchange exchange, ProviderRequest r, List<CallEvent> events, List<Map<String, Object>> items, int accepted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", r.provider());
        body.put("accepted", accepted);
        body.put("duplicate", events.size() - accepted);
        body.put("events", items);
        problems.json(exchange, 200, body);
    }

    /**
     * The error path: a {@link ProblemException} keeps its 4xx; the database out of reach, at any step, is a 503 with
     * Retry-After (nothing was stored; the provider retries); anything else thrown while reading or adapting the
     * provider's payload is that payload's fault (400); another failure while storing is ours (500, and the provider retries).
     */
    public void reject(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException p;
        if (t instanceof ProblemException pe) {
            p = pe;
        } else if (DatabaseUnavailable.isCause(t)) {
            p = problems.problemFor(exchange);
        } else if (!"store".equals(exchange.getProperty(STAGE, String.class))) {
            LOG.warn("provider={} payload could not be adapted: {}", exchange.getProperty(PROVIDER, "unknown", String.class),
                    t == null ? "?" : t.getClass().getSimpleName());
            p = ProblemException.badRequest("the webhook payload could not be read", List.of(new FieldError("$", "unexpected content")));
        } else {
            LOG.error("provider={} webhook could not be stored", exchange.getProperty(PROVIDER, "unknown", String.class), t);
            p = new ProblemException(500, "Internal error", "internal", "the webhook could not be stored; nothing was kept, retry later");
        }
        if (p.status() >= 500 && exchange.getProperty(VERIFIED, false, Boolean.class)) {
            // nothing was stored: the provider's retry may carry the same token
            exchange.getProperty(VERIFIER, ProviderVerifier.class).release(exchange.getProperty(REQUEST, ProviderRequest.class));
        }
        problems.write(exchange, p);
        String outcome = switch (p.status()) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 404 -> "not-found";
            case 413 -> "too-large";
            case 415 -> "unsupported";
            case 422 -> "call-full";
            case 503 -> "unavailable";
            default -> p.status() >= 500 ? "error" : "rejected";
        };
        count(exchange, outcome);
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        LOG.info("tenant={} provider={} status={} outcome={} reason={} ms={}", Tenancy.orDash(exchange),
                exchange.getProperty(PROVIDER, "unknown", String.class),
                p.status(), outcome, p.reason(), ms);
    }

    private void count(Exchange exchange, String outcome) {
        String provider = exchange.getProperty(PROVIDER, "unknown", String.class);
        String tenant = Tenancy.orDash(exchange);
        counters.computeIfAbsent(tenant + "/" + provider + "/" + outcome, k -> Counter.builder("scc_provider_webhooks")
                .description("provider webhooks received, by tenant, provider and outcome")
                .tag("tenant", tenant).tag("provider", provider).tag("outcome", outcome)
                .register(registry)).increment();
    }
}
