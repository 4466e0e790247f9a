package com.simplecallcenter.zohosync.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sync's meters, and the agents seen without a Zoho user (listed by {@code GET /api/v1/admin/sync}). */
public final class SyncMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary requestsPerCall;
    private final Timer receivedToSynced;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter unmappedAgents;
    private final Set<String> unmapped = ConcurrentHashMap.newKeySet();

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
        this.unmappedAgents = Counter.builder("scc_sync_unmapped_agent_calls")
                .description("calls whose agent has no Zoho user (agents.yaml nor an active user of that email)").register(registry);
    }

    public void outcome(String outcome) {
        Counter.builder("scc_sync_calls").tag("outcome", outcome).register(registry).increment();
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

    public void unmappedAgent(String agent) {
        unmappedAgents.increment();
        if (unmapped.size() < 1000) {
            unmapped.add(agent);
        }
    }

    public Set<String> unmappedAgents() {
        return Set.copyOf(unmapped);
    }

    public double cacheHits() {
        return cacheHits.count();
    }

    public double cacheMisses() {
        return cacheMisses.count();
    }
}
