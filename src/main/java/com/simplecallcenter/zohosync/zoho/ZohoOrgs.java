package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToIntFunction;

/**
 * Each tenant's Zoho org: its own connection row, token manager, client (with the org's concurrency budget), write
 * batcher and OAuth flow. Built on a tenant's first use, never all at start, so an idle tenant costs nothing until
 * one of its calls or its admin arrives. The HTTP client, the accounts client and the OAuth state table are shared.
 */
public final class ZohoOrgs {

    /** One tenant's Zoho: what the sync and the optional routes write through, what the admin connects. */
    public record Org(String tenant, ZohoClient client, ZohoWriteBatcher writes, ZohoTokenManager tokens, ZohoOAuth oauth) {
    }

    private final ZohoSettings settings;
    private final DataSource dataSource;
    private final ZohoHttp http;
    private final ZohoAccounts accounts;
    private final OAuthStateStore states;
    private final Optional<TokenCipher> cipher;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ToIntFunction<String> concurrency;
    private final ZohoCredits credits;
    private final ConcurrentMap<String, Org> orgs = new ConcurrentHashMap<>();

    ZohoOrgs(ZohoSettings settings, DataSource dataSource, ZohoHttp http, ZohoAccounts accounts, Optional<TokenCipher> cipher,
             ObjectMapper mapper, Clock clock, MeterRegistry meters, ToIntFunction<String> concurrency,
             java.util.function.ToLongFunction<String> dailyCredits) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.http = http;
        this.accounts = accounts;
        this.states = new OAuthStateStore(dataSource, clock);
        this.cipher = cipher;
        this.mapper = mapper;
        this.clock = clock;
        this.meters = meters;
        this.concurrency = concurrency;
        this.credits = new ZohoCredits(dataSource, clock, meters, dailyCredits, settings.creditsRefusedPause());
    }

    /** The daily credit budget of every tenant's org. */
    public ZohoCredits credits() {
        return credits;
    }

    /** The tenant's org (made on first use). */
    public Org of(String tenant) {
        Org org = orgs.computeIfAbsent(tenant, this::build);
        int budget = Math.max(1, concurrency.applyAsInt(tenant));
        if (org.client().concurrency() != budget) {
            // the tenant's admin changed zohoConcurrency: from the next request on
            org.client().concurrency(budget);
        }
        return org;
    }

    private Org build(String tenant) {
        ZohoConnectionStore store = new ZohoConnectionStore(dataSource, tenant);
        ZohoTokenManager tokens = new ZohoTokenManager(settings, store, accounts, cipher, clock, meters);
        ZohoClient client = new ZohoClient(http, tokens, mapper, settings, meters, Math.max(1, concurrency.applyAsInt(tenant)), tenant, credits);
        ZohoOAuth oauth = new ZohoOAuth(settings, states, store, accounts, tokens, client, cipher, mapper, clock);
        ZohoWriteBatcher writes = new ZohoWriteBatcher(client, settings.writeBatchSize(), settings.writeBatchInFlight(), meters);
        return new Org(tenant, client, writes, tokens, oauth);
    }

    /**
     * The state of the tenant's connection as a list of tenants shows it (connected, disconnected, broken), read
     * without building the tenant's org: listing a thousand idle tenants must not load them.
     */
    public String state(String tenant) {
        Org held = orgs.get(tenant);
        if (held != null) {
            return held.oauth().status().path("state").asText("disconnected");
        }
        return new ZohoConnectionStore(dataSource, tenant).read().map(r -> r.connected() ? "connected" : "broken").orElse("disconnected");
    }

    /** Whether the tenant's Zoho is connected and usable (its token manager's answer). */
    public boolean isConnected(String tenant) {
        return of(tenant).tokens().isConnected();
    }

    /**
     * The browser back from Zoho's consent page: the single-use state names the tenant whose admin started it, so one
     * callback URL serves every tenant. Returns the tenant's status object; a {@link ZohoOAuth.ConnectFailure} says why
     * nothing was connected. {@code nonce}: the connect cookie the browser brought back (null without one).
     */
    public ObjectNode completeConsent(String state, String nonce, String error, String code, String accountsServer, String location) {
        OAuthStateStore.Use use = states.consume(state, nonce);
        String tenant = use.tenant() == null ? com.simplecallcenter.zohosync.http.Tenancy.DEFAULT : use.tenant();
        return of(tenant).oauth().completeConsent(use.check(), error, code, accountsServer, location);
    }

    /** A fresh nonce for the browser that starts a consent (its connect cookie). */
    public String newConsentNonce() {
        return states.random();
    }

    /** Drops the tenant's org from memory (after it was disabled or its budget changed); the next use builds it afresh. */
    public void forget(String tenant) {
        orgs.remove(tenant);
    }
}
