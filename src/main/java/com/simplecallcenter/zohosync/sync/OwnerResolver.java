package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.ops.Mask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who owns the call: the agent's Zoho user from {@code config/agents.yaml} (by agent id, then email), else the
 * active Zoho user with the agent's email (Users API, cached), else {@code scc.zoho.default-owner-id}, else no
 * Owner at all (Zoho then makes the connecting user the owner: counted and logged, never silent).
 */
public class OwnerResolver {

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final SyncTenants tenants;
    private final SyncMetrics metrics;
    private final LoadingCache<String, Map<String, String>> activeUsers;
    private final java.util.concurrent.atomic.AtomicBoolean warnedNoOwner = new java.util.concurrent.atomic.AtomicBoolean();

    public OwnerResolver(SyncTenants tenants, SyncSettings settings, SyncMetrics metrics) {
        this.tenants = tenants;
        this.metrics = metrics;
        // per tenant: each org has its own users
        this.activeUsers = Caffeine.newBuilder()
                .expireAfterWrite(settings.usersCacheTtl())
                .maximumSize(10_000)
                .build(this::usersByEmail);
    }

    /** Route step: sets the owner of the call on the work. */
    public void resolve(SyncWork work) {
        CallEvent.Agent agent = work.getState().call().agent();
        String tenant = work.getTenant();
        SyncSettings settings = tenants.settings(tenant);
        String owner = null;
        if (agent != null) {
            owner = tenants.agents(tenant).userFor(agent.id(), agent.email()).orElse(null);
            if (owner == null && agent.email() != null) {
                boolean cached = activeUsers.getIfPresent(tenant) != null;
                if (!cached) {
                    work.countZohoRequest();
                }
                owner = activeUsers.get(tenant).get(agent.email().trim().toLowerCase(Locale.ROOT));
            }
            if (owner == null) {
                String name = agent.id() != null ? agent.id() : Mask.email(agent.email());
                metrics.unmappedAgent(tenant, name == null ? "(no id)" : name);
                LOG.warn("tenant={} call {}: agent {} has no Zoho user (map it in the agent map)", tenant, work.getCallId(), LogSafe.text(name));
            } else {
                metrics.owner("agent");
            }
        }
        if (owner == null && settings.defaultOwnerId().isPresent()) {
            owner = settings.defaultOwnerId().get();
            metrics.owner("default");
        } else if (owner == null) {
            metrics.owner("none");
            // WARN the first time, then DEBUG: the metric scc_sync_owner{source="none"} counts every one
            (warnedNoOwner.getAndSet(true) ? LOG.atDebug() : LOG.atWarn()).log("tenant={} call {}: no owner (no mapped agent, scc.zoho.default-owner-id unset): Zoho makes the connecting user the owner",
                    tenant, work.getCallId());
        }
        work.setOwnerId(owner);
    }

    private Map<String, String> usersByEmail(String tenant) {
        List<ObjectNode> users = tenants.zoho(tenant).users("ActiveUsers");
        Map<String, String> byEmail = new HashMap<>();
        for (ObjectNode u : users) {
            String email = MatchRules.text(u, "email");
            String id = MatchRules.text(u, "id");
            if (email != null && id != null) {
                byEmail.put(email.trim().toLowerCase(Locale.ROOT), id);
            }
        }
        return byEmail;
    }
}
