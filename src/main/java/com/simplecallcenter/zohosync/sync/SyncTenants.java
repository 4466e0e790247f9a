package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * What the sync needs per tenant: its Zoho org (client and write batcher), its settings (its own values over the
 * deployment's) and its agent map. Both are asked of the tenant registry each time (it caches them, and forgets on
 * this instance at once what an admin changed here); an agent map is rebuilt only when the registry hands out a new
 * one. The tenant {@code default} keeps {@code config/agents.yaml}.
 */
public final class SyncTenants {

    private record Held(Map<String, String> source, AgentDirectory directory) {
    }

    private final ZohoOrgs orgs;
    private final AgentDirectory defaultAgents;
    private final Function<String, SyncSettings> settings;
    private final Function<String, Map<String, String>> savedAgents;
    private final ConcurrentMap<String, Held> agents = new ConcurrentHashMap<>();

    /**
     * @param settings    a tenant's settings (the deployment's for {@code default})
     * @param savedAgents a tenant's agent map as saved through the admin API (agent id or email → Zoho user id)
     */
    public SyncTenants(ZohoOrgs orgs, AgentDirectory defaultAgents, Function<String, SyncSettings> settings,
                       Function<String, Map<String, String>> savedAgents) {
        this.orgs = orgs;
        this.defaultAgents = defaultAgents;
        this.settings = settings;
        this.savedAgents = savedAgents;
    }

    public ZohoClient zoho(String tenant) {
        return orgs.of(tenant).client();
    }

    public ZohoWriteBatcher writes(String tenant) {
        return orgs.of(tenant).writes();
    }

    public SyncSettings settings(String tenant) {
        return settings.apply(tenant);
    }

    /** The tenant's agent map; {@code default}'s is config/agents.yaml, with what its admin saved on top. */
    public AgentDirectory agents(String tenant) {
        Map<String, String> source = savedAgents.apply(tenant);
        Held held = agents.get(tenant);
        if (held == null || held.source() != source) {
            held = new Held(source, AgentDirectory.with(source));
            agents.put(tenant, held);
        }
        AgentDirectory saved = held.directory();
        return Tenancy.DEFAULT.equals(tenant) ? defaultAgents.with(saved) : saved;
    }
}
