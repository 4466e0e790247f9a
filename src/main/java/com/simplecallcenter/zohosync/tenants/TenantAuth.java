package com.simplecallcenter.zohosync.tenants;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.http.BearerToken;
import com.simplecallcenter.zohosync.http.FailureLimiter;
import com.simplecallcenter.zohosync.http.ProblemException;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Who is calling, from {@code Authorization: Bearer}: the <b>operator</b> ({@code SCC_ADMIN_TOKEN}, compared in
 * constant time; every tenant) or a <b>tenant admin</b> (its token, found by its SHA-256; only its own tenant).
 * Route steps: {@link #requireOperator} and {@link #requireTenant}. On a tenant's path the answer never tells whether
 * another tenant exists: not yours, unknown and disabled are the same 404.
 */
public final class TenantAuth {

    /** Exchange property holding the {@link Principal} once a step let the request in. */
    public static final String PRINCIPAL = "sccPrincipal";
    /** The header that carries the path's {@code {tenant}}. */
    public static final String TENANT = "tenant";

    /** The caller: the operator (tenant null) or the admin of one tenant. */
    public record Principal(String tenant) {
        public static final Principal OPERATOR = new Principal(null);

        public boolean isOperator() {
            return tenant == null;
        }

        /** Whether this caller may act on that tenant. */
        public boolean mayUse(String id) {
            return isOperator() || tenant.equals(id);
        }
    }

    private final Optional<byte[]> operatorToken;
    private final Tenants tenants;
    /** admin token SHA-256 → the active tenant it opens (empty: none); the tenant's state is re-checked on each use. */
    private final Cache<String, Optional<String>> tokenOwners;
    private final FailureLimiter limiter;

    public TenantAuth(Optional<String> operatorToken, Tenants tenants, Duration cacheTtl, long cacheSize, FailureLimiter limiter) {
        this.operatorToken = operatorToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.tenants = tenants;
        this.limiter = limiter;
        this.tokenOwners = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    /** The caller of this request, if its bearer token is the operator's or an active tenant's admin token. */
    public Optional<Principal> principal(Exchange exchange) {
        return principal(BearerToken.of(exchange));
    }

    public Optional<Principal> principal(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (operatorToken.isPresent() && BearerToken.matches(operatorToken.get(), token)) {
            return Optional.of(Principal.OPERATOR);
        }
        Optional<String> tenant = tokenOwners.get(Tenants.sha256(token), h -> tenants.tenantOfAdminToken(token));
        return tenant.filter(tenants::active).map(Principal::new);
    }

    /** Route step: 401 without a valid token, 403 for a tenant admin's (this endpoint is the operator's). */
    public void requireOperator(Exchange exchange) {
        Principal p = authenticated(exchange);
        if (!p.isOperator()) {
            throw new ProblemException(403, "Forbidden", "operator-only", "this endpoint needs the operator token (SCC_ADMIN_TOKEN)");
        }
        exchange.setProperty(PRINCIPAL, p);
    }

    /**
     * Route step for {@code /api/v1/tenants/{tenant}/...}: 401 without a valid token; 404 unless the path's tenant is
     * active and the caller's (the operator's: any).
     */
    public void requireTenant(Exchange exchange) {
        Principal p = authenticated(exchange);
        String tenant = exchange.getMessage().getHeader(TENANT, String.class);
        if (!Tenants.validId(tenant) || !p.mayUse(tenant) || !tenants.active(tenant)) {
            throw ProblemException.notFound("no such tenant");
        }
        exchange.setProperty(PRINCIPAL, p);
    }

    private Principal authenticated(Exchange exchange) {
        // an address that failed too often is refused before its token is looked at (429)
        limiter.checkSignIn(exchange);
        return principal(exchange).orElseThrow(() -> ProblemException.unauthorized("bad-token",
                "a valid bearer token is required: the operator's (SCC_ADMIN_TOKEN) or the tenant admin's"));
    }
}
