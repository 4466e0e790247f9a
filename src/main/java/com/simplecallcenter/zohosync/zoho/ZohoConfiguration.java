package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Optional;

/**
 * Binds {@code zohoOrgs}: each tenant's Zoho connection, client, write batcher and OAuth flow ({@link ZohoOrgs}).
 * Settings are checked when this class is built, before anything starts; {@code SccConfiguration} calls {@link #bind}
 * with what it needs.
 */
public final class ZohoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ZohoConfiguration.class);

    private final ZohoSettings settings;
    private final Clock clock;

    public ZohoConfiguration(Settings settings, Clock clock) {
        this.settings = ZohoSettings.from(settings);
        this.clock = clock;
    }

    public ZohoSettings settings() {
        return settings;
    }

    /** {@code concurrency}: a tenant's Zoho concurrency budget (its setting, else the deployment's). */
    public ZohoOrgs bind(CamelContext context, DataSource dataSource, ObjectMapper mapper, MeterRegistry meters,
                         java.util.function.ToIntFunction<String> concurrency,
                         java.util.function.ToLongFunction<String> dailyCredits) throws Exception {
        Registry r = context.getRegistry();
        if (settings.tokenKey().isEmpty()) {
            LOG.warn("SCC_TOKEN_KEY is not set: Zoho tokens cannot be stored, so Zoho CRM cannot be connected");
        } else if (!settings.clientConfigured()) {
            LOG.warn("ZOHO_CLIENT_ID/ZOHO_CLIENT_SECRET are not set: calls are ingested, but nothing reaches Zoho CRM");
        }
        Optional<TokenCipher> cipher = settings.tokenKey().map(k -> new TokenCipher(k, settings.previousTokenKey()));
        ZohoHttp http = new ZohoHttp(context, settings.connectTimeout(), settings.readTimeout());
        ZohoAccounts accounts = new ZohoAccounts(http, mapper, settings);
        ZohoOrgs orgs = new ZohoOrgs(settings, dataSource, http, accounts, cipher, mapper, clock, meters, concurrency, dailyCredits);
        r.bind("zohoOrgs", orgs);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                orgs.credits().flush();
                http.stop();
            }
        });
        return orgs;
    }
}
