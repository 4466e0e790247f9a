package com.simplecallcenter.zohosync.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sync's meters, and the agents seen without a Zoho user (listed by {@code GET /api/v1/admin/sync}). */
public final class SyncMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary requestsPerCall;
    private final Timer receivedToSynced;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Map<String, Set<String>> unmapped = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.requestsPerCall = DistributionSummary.builder("scc_sync_zoho_requests_per_call")
                .description("Zoho requests made to log one call (search, create, insert/update, retries); a batched write counts 1/k for each of its k calls")
                .publishPercentiles(0.5, 0.95).register(registry);
        this.receivedToSynced = Timer.builder("scc_sync_received_to_synced")
                .description("time from the first unsynced event's arrival to the call being synced")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(4))
                .register(registry);
        this.cacheHits = Counter.builder("scc_sync_match_cache").tag("result", "hit").register(registry);
        this.cacheMisses = Counter.builder("scc_sync_match_cache").tag("result", "miss").register(registry);
    }

    /** Calls by tenant and outcome (synced, parked, dead). */
    public void outcome(String tenant, String outcome) {
        Counter.builder("scc_sync_calls").description("calls the sync finished a run of, by tenant and outcome")
                .tag("tenant", tenant).tag("outcome", outcome).register(registry).increment();
    }

    public void owner(String source) {
        Counter.builder("scc_sync_owner").tag("source", source).register(registry).increment();
    }

    public void synced(double zohoRequests, Duration latency) {
        requestsPerCall.record(zohoRequests);
        if (latency != null && !latency.isNegative()) {
            receivedToSynced.record(latency);
        }
    }

    public void cache(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    public void unmappedAgent(String tenant, String agent) {
        Counter.builder("scc_sync_unmapped_agent_calls")
                .description("calls whose agent has no Zoho user (agent map nor an active user of that email), by tenant")
                .tag("tenant", tenant).register(registry).increment();
        Set<String> names = unmapped.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
        if (names.size() < 1000) {
            names.add(agent);
        }
    }

    /** The agents seen in the tenant's calls without a Zoho user, since this instance started. */
    public Set<String> unmappedAgents(String tenant) {
        return Set.copyOf(unmapped.getOrDefault(tenant, Set.of()));
    }

    public double cacheHits() {
        return cacheHits.count();
    }

    public double cacheMisses() {
        return cacheMisses.count();
    }
}
