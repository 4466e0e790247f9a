package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Binds the tenant registry ({@code tenants}), the tenant-aware auth ({@code tenantAuth}) and the operator API
 * ({@code tenantsApi}, {@code routes/tenants.camel.yaml}). Settings are checked when this class is built.
 */
public final class TenantsConfiguration {

    /** What the layers above use: the registry, and the auth of tenant-bound endpoints. */
    public record Beans(Tenants tenants, TenantAuth auth) {
    }

    private final Settings settings;
    private final Duration cacheTtl;
    private final long cacheSize;

    public TenantsConfiguration(Settings settings) {
        this.settings = settings;
        this.cacheTtl = settings.duration("scc.tenants.cache-ttl", Duration.ZERO, Duration.ofMinutes(1));
        this.cacheSize = settings.longValue("scc.tenants.cache-size", 0, 10_000_000);
    }

    /**
     * {@code deployment}: the deployment's value of each tenant setting; {@code connectionState}: tenant → its Zoho
     * connection's state; {@code afterDisable}: revokes and forgets a disabled tenant's Zoho tokens.
     */
    public Beans bind(Registry r, DataSource dataSource, ObjectMapper mapper, Problems problems, Clock clock,
                      TenantSettings deployment, Function<String, String> connectionState, Consumer<String> afterDisable,
                      com.simplecallcenter.zohosync.http.FailureLimiter limiter) {
        // the same key, and the same previous key after a rotation, as the Zoho tokens
        var cipher = settings.base64Key("scc.token.key", 32)
                .map(k -> new TokenCipher(k, settings.base64Key("scc.token.previous-key", 32)));
        Tenants tenants = new Tenants(new TenantRepository(dataSource), cipher, settings, deployment, mapper, clock, cacheTtl, cacheSize);
        TenantAuth auth = new TenantAuth(settings.optional("scc.admin.token"), tenants, cacheTtl, cacheSize, limiter);
        r.bind("tenants", tenants);
        r.bind("tenantAuth", auth);
        r.bind("tenantsApi", new TenantsApi(tenants, problems, mapper, connectionState, afterDisable));
        return new Beans(tenants, auth);
    }
}
