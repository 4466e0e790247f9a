package com.simplecallcenter.zohosync.sync;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.simplecallcenter.zohosync.http.Tenancy;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Whether a tenant's Zoho is connected, as the sync's first step asks it for every call: the token manager's answer
 * (a database read) kept for one second per tenant. A call that arrives in the second after a connect is parked and
 * woken by the next sweep; one that arrives in the second after a disconnect meets the refusal at its first Zoho
 * request and is parked then. Either way nothing is lost.
 */
public final class ConnectionGate {

    private final LoadingCache<String, Boolean> connected;
    private final Predicate<String> creditsExhausted;

    /** {@code creditsExhausted}: whether a tenant's daily Zoho credits are spent (cached by itself for a few seconds). */
    public ConnectionGate(Predicate<String> connected, Predicate<String> creditsExhausted) {
        this.connected = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(1)).maximumSize(10_000)
                .build(connected::test);
        this.creditsExhausted = creditsExhausted;
    }

    public boolean isConnected(String tenant) {
        return connected.get(tenant);
    }

    /** For the routes: whether the exchange's tenant is connected. */
    public boolean isTenantConnected(Exchange exchange) {
        return isConnected(Tenancy.of(exchange));
    }

    public boolean hasCredits(String tenant) {
        return !creditsExhausted.test(tenant);
    }

    /** For the routes: whether the exchange's tenant has Zoho credits left today. */
    public boolean hasTenantCredits(Exchange exchange) {
        return hasCredits(Tenancy.of(exchange));
    }
}
