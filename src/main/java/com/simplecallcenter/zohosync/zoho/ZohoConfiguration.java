package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * Binds the Zoho connection: {@code zohoClient} (what sync routes call), {@code zohoWriteBatcher} (record writes of
 * concurrent calls in shared requests), {@code zohoTokenManager}, {@code zohoOAuth}
 * (the admin endpoints of {@code routes/zoho-oauth.camel.yaml}) and {@code zohoClock}. Settings are checked when
 * this class is built, before anything starts; it needs the beans of {@code SccConfiguration} (dataSource,
 * objectMapper, meterRegistry, problems), so it is added after it.
 */
public final class ZohoConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ZohoConfiguration.class);

    private final ZohoSettings settings;

    public ZohoConfiguration(Settings settings) {
        this.settings = ZohoSettings.from(settings);
    }

    public ZohoSettings settings() {
        return settings;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry r = context.getRegistry();
        DataSource dataSource = required(r, "dataSource", DataSource.class);
        ObjectMapper mapper = required(r, "objectMapper", ObjectMapper.class);
        MeterRegistry meters = required(r, "meterRegistry", MeterRegistry.class);
        Problems problems = required(r, "problems", Problems.class);

        if (settings.tokenKey().isEmpty()) {
            LOG.warn("SCC_TOKEN_KEY is not set: Zoho tokens cannot be stored, so Zoho CRM cannot be connected");
        } else if (!settings.clientConfigured()) {
            LOG.warn("ZOHO_CLIENT_ID/ZOHO_CLIENT_SECRET are not set: calls are ingested, but nothing reaches Zoho CRM");
        }
        Optional<TokenCipher> cipher = settings.tokenKey().map(k -> new TokenCipher(k, settings.previousTokenKey()));
        AdjustableClock clock = new AdjustableClock();
        ZohoHttp http = new ZohoHttp(context, settings.connectTimeout(), settings.readTimeout());
        ZohoConnectionStore store = new ZohoConnectionStore(dataSource);
        ZohoAccounts accounts = new ZohoAccounts(http, mapper, settings);
        ZohoTokenManager tokens = new ZohoTokenManager(settings, store, accounts, cipher, clock, meters);
        ZohoClient client = new ZohoClient(http, tokens, mapper, settings, meters);
        ZohoOAuth oauth = new ZohoOAuth(settings, new OAuthStateStore(dataSource, clock), store, accounts, tokens, client, cipher,
                mapper, problems, clock);

        r.bind("zohoClock", clock);
        r.bind("zohoTokenManager", tokens);
        r.bind("zohoClient", client);
        r.bind("zohoWriteBatcher", new ZohoWriteBatcher(client, settings.writeBatchSize(), settings.writeBatchInFlight(), meters));
        r.bind("zohoOAuth", oauth);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                http.stop();
            }
        });
    }

    private static <T> T required(Registry r, String name, Class<T> type) {
        T bean = r.lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean " + name + " is missing: ZohoConfiguration must be added after SccConfiguration");
        }
        return bean;
    }
}
