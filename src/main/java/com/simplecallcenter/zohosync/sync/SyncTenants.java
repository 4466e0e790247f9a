package com.simplecallcenter.zohosync.sync;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What the sync needs per tenant: its Zoho org (client and write batcher), its settings (its own values over the
 * deployment's) and its agent map. Settings and agents are read from the tenant registry and kept two seconds, so a
 * change made on one instance reaches every instance within seconds; the tenant {@code default} keeps
 * {@code config/agents.yaml}.
 */
public final class SyncTenants {

    static final Duration TTL = Duration.ofSeconds(2);

    private final ZohoOrgs orgs;
    private final AgentDirectory defaultAgents;
    private final LoadingCache<String, SyncSettings> settings;
    private final LoadingCache<String, AgentDirectory> agents;

    /**
     * @param settings    a tenant's settings (the deployment's for {@code default})
     * @param savedAgents a tenant's agent map as saved through the admin API (agent id or email → Zoho user id)
     */
    public SyncTenants(ZohoOrgs orgs, AgentDirectory defaultAgents, Function<String, SyncSettings> settings,
                       Function<String, Map<String, String>> savedAgents) {
        this.orgs = orgs;
        this.defaultAgents = defaultAgents;
        this.settings = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build(settings::apply);
        this.agents = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000)
                .build(t -> AgentDirectory.with(savedAgents.apply(t)));
    }

    public ZohoClient zoho(String tenant) {
        return orgs.of(tenant).client();
    }

    public ZohoWriteBatcher writes(String tenant) {
        return orgs.of(tenant).writes();
    }

    public SyncSettings settings(String tenant) {
        return settings.get(tenant);
    }

    /** The tenant's agent map; {@code default}'s is config/agents.yaml, with what its admin saved on top. */
    public AgentDirectory agents(String tenant) {
        AgentDirectory saved = agents.get(tenant);
        return Tenancy.DEFAULT.equals(tenant) ? defaultAgents.with(saved) : saved;
    }
}
