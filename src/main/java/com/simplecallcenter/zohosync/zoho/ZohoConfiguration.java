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
 * Binds the Zoho connection: {@code zohoClient} (what sync routes call), {@code zohoWriteBatcher} (record writes of
 * concurrent calls in shared requests) and {@code zohoTokenManager}; the admin endpoints are built
 * on {@link Beans#oauth()}. Settings are checked when this class is built, before anything starts;
 * {@code SccConfiguration} calls {@link #bind} with what it needs.
 */
public final class ZohoConfiguration {

    /** What the layers above use: the sync and the optional routes write through these; the admin connects and shows the connection. */
    public record Beans(ZohoClient client, ZohoWriteBatcher writes, ZohoTokenManager tokens, ZohoOAuth oauth) {
    }

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

    public Beans bind(CamelContext context, DataSource dataSource, ObjectMapper mapper, MeterRegistry meters) throws Exception {
        Registry r = context.getRegistry();
        if (settings.tokenKey().isEmpty()) {
            LOG.warn("SCC_TOKEN_KEY is not set: Zoho tokens cannot be stored, so Zoho CRM cannot be connected");
        } else if (!settings.clientConfigured()) {
            LOG.warn("ZOHO_CLIENT_ID/ZOHO_CLIENT_SECRET are not set: calls are ingested, but nothing reaches Zoho CRM");
        }
        Optional<TokenCipher> cipher = settings.tokenKey().map(k -> new TokenCipher(k, settings.previousTokenKey()));
        ZohoHttp http = new ZohoHttp(context, settings.connectTimeout(), settings.readTimeout());
        ZohoConnectionStore store = new ZohoConnectionStore(dataSource);
        ZohoAccounts accounts = new ZohoAccounts(http, mapper, settings);
        ZohoTokenManager tokens = new ZohoTokenManager(settings, store, accounts, cipher, clock, meters);
        ZohoClient client = new ZohoClient(http, tokens, mapper, settings, meters);
        ZohoOAuth oauth = new ZohoOAuth(settings, new OAuthStateStore(dataSource, clock), store, accounts, tokens, client, cipher,
                mapper, clock);

        ZohoWriteBatcher writes = new ZohoWriteBatcher(client, settings.writeBatchSize(), settings.writeBatchInFlight(), meters);

        r.bind("zohoTokenManager", tokens);
        r.bind("zohoClient", client);
        r.bind("zohoWriteBatcher", writes);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                http.stop();
            }
        });
        return new Beans(client, writes, tokens, oauth);
    }
}
