package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reconciliation (docs/sync.md): compares a tenant's call → Call mapping with the Calls Zoho holds, created in the last
 * {@code scc.reconcile.window}, read by COQL on the call-id field a few pages at most. Reports a Call deleted in Zoho,
 * several Calls of one call id, and adopts a Call whose id we never recorded; re-creates and removes only when told to.
 */
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger("scc.reconcile");
    /** Zoho's clock and ours differ a little: Zoho is asked a bit further back than the calls we expect it to hold. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(10);
    /** COQL's datetime literal: ISO 8601 with a numeric offset, no fraction (docs: "yyyy-MM-ddTHH:mm:ss±HH:mm"). */
    private static final DateTimeFormatter COQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    /** {@code scc.reconcile.*}. */
    public record Options(Duration interval, Duration window, int pageSize, int maxPages, boolean recreateDeleted,
                          boolean removeDuplicates) {
    }

    private final SyncTenants tenants;
    private final CallSyncRepository calls;
    private final ReconcileReports reports;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final ProducerTemplate producer;
    private final String handOffUri;
    private final Supplier<List<String>> activeTenants;
    private final Predicate<String> connected;
    private final Options options;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public Reconciler(SyncTenants tenants, CallSyncRepository calls, ReconcileReports reports, Problems problems, ObjectMapper mapper,
                      MeterRegistry meters, ProducerTemplate producer, String handOffUri, Supplier<List<String>> activeTenants,
                      Predicate<String> connected, Options options, Clock clock) {
        this.tenants = tenants;
        this.calls = calls;
        this.reports = reports;
        this.problems = problems;
        this.mapper = mapper;
        this.meters = meters;
        this.producer = producer;
        this.handOffUri = handOffUri;
        this.activeTenants = activeTenants;
        this.connected = connected;
        this.options = options;
        this.clock = clock;
    }

    /** The timer's list: active tenants with a Zoho connection whose run of this interval no other instance took. */
    public List<String> due() {
        // a little less than the interval, so a run that started late on another instance does not skip a turn
        Duration taken = options.interval().multipliedBy(9).dividedBy(10);
        return activeTenants.get().stream().filter(connected).filter(t -> reports.claim(t, taken)).toList();
    }

    /** The scheduled run of the exchange's tenant: a failure (Zoho down, say) is logged, and the next interval tries again. */
    public void scheduled(Exchange exchange) {
        String tenant = Tenancy.of(exchange);
        try {
            run(tenant);
        } catch (RuntimeException e) {
            LOG.warn("reconcile tenant={} failed: {}", tenant, e.toString());
        }
    }

    /** {@code POST …/admin/reconcile}: runs now and answers the report (409 without a Zoho connection or while one runs). */
    public void runNow(Exchange exchange) {
        String tenant = Tenancy.of(exchange);
        if (!connected.test(tenant)) {
            throw new ProblemException(409, "Zoho not connected", "not-connected",
                    "tenant " + tenant + " has no working Zoho connection: connect it first");
        }
        reports.claim(tenant, Duration.ZERO);
        problems.json(exchange, 200, run(tenant));
    }

    public Optional<ReconcileReports.Last> last(String tenant) {
        return reports.last(tenant);
    }

    /** One run for one tenant: reads Zoho, compares, acts as configured, stores and counts the report. */
    public Map<String, Object> run(String tenant) {
        if (!running.add(tenant)) {
            throw new ProblemException(409, "Reconciliation running", "reconcile-running",
                    "a reconciliation of tenant " + tenant + " is running on this instance; try again when it ended");
        }
        try {
            return reconcile(tenant);
        } finally {
            running.remove(tenant);
        }
    }

    private record Seen(String id, String callId, Instant created) {
    }

    private Map<String, Object> reconcile(String tenant) {
        Instant started = clock.instant();
        Instant since = started.minus(options.window());
        String field = tenants.settings(tenant).callIdField();
        ZohoClient zoho = tenants.zoho(tenant);

        // Zoho's side: every Call with a call id created in the window, oldest id first, a page at a time up to the cap
        Map<String, List<Seen>> byCall = new LinkedHashMap<>();
        Set<String> seenIds = new HashSet<>();
        String literal = OffsetDateTime.ofInstant(since.minus(CLOCK_MARGIN), ZoneOffset.UTC).format(COQL_DATETIME);
        int pages = 0;
        int checked = 0;
        boolean truncated = false;
        while (true) {
            List<ObjectNode> rows = zoho.coql("select id, " + field + ", Created_Time from Calls where Created_Time > '" + literal
                    + "' and " + field + " is not null limit " + options.pageSize() + " offset " + (long) pages * options.pageSize());
            pages++;
            for (ObjectNode row : rows) {
                String id = row.path("id").asText(null);
                String callId = row.path(field).asText(null);
                if (id == null || callId == null || callId.isBlank() || !seenIds.add(id)) {
                    continue;
                }
                checked++;
                byCall.computeIfAbsent(callId, k -> new ArrayList<>()).add(new Seen(id, callId, created(row.get("Created_Time"))));
            }
            if (rows.size() < options.pageSize()) {
                break;
            }
            if (pages >= options.maxPages()) {
                truncated = true; // a full last page: there may be more than the cap lets us read
                break;
            }
        }

        Map<String, CallSyncRepository.Mapping> ours = new HashMap<>();
        calls.mappings(tenant, byCall.keySet()).forEach(m -> ours.put(m.callId(), m));
        Map<String, CallSyncRepository.Mapping> expected = new HashMap<>();
        calls.syncedSince(tenant, since).forEach(m -> expected.put(m.callId(), m));

        List<Map<String, Object>> duplicates = new ArrayList<>();
        List<Map<String, Object>> adopted = new ArrayList<>();
        List<Map<String, Object>> deleted = new ArrayList<>();
        Set<String> settled = new HashSet<>();
        for (Map.Entry<String, List<Seen>> e : byCall.entrySet()) {
            String callId = e.getKey();
            List<Seen> found = e.getValue().stream().sorted(OLDEST_FIRST).toList();
            List<String> ids = found.stream().map(Seen::id).toList();
            CallSyncRepository.Mapping mine = ours.get(callId);
            String mapped = mine == null ? null : mine.zohoCallId();
            String keep = mapped != null && ids.contains(mapped) ? mapped : ids.get(0);
            if (mine != null && !keep.equals(mapped)
                    && (mapped == null || (expected.containsKey(callId) && !seenIds.contains(mapped)))) {
                // (c) a Call of ours we never recorded (a lost answer), or the one recorded is gone while another is there
                if (calls.adoptCallId(tenant, callId, mapped, keep)) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("callId", callId);
                    a.put("zohoCallId", keep);
                    if (mapped != null) {
                        a.put("replaces", mapped);
                    }
                    adopted.add(a);
                    settled.add(callId);
                }
            }
            if (ids.size() > 1) {
                // (b) one call, several Calls; removed only if configured, and only for calls we know
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("callId", callId);
                d.put("ids", ids);
                d.put("kept", keep);
                List<String> removed = new ArrayList<>();
                if (options.removeDuplicates() && mine != null) {
                    List<String> extras = ids.stream().filter(id -> !id.equals(keep)).toList();
                    for (ZohoClient.RecordResult r : zoho.delete("Calls", extras)) {
                        if (r.success()) {
                            removed.add(extras.get(r.index()));
                        } else {
                            LOG.warn("reconcile tenant={} call={}: Zoho did not delete duplicate Call {}: {} {}", tenant, callId,
                                    extras.get(r.index()), r.code(), r.message());
                        }
                    }
                }
                d.put("removed", removed);
                duplicates.add(d);
            }
        }
        if (!truncated) {
            // (a) a Call we synced in the window that Zoho no longer holds; with a truncated read it may be on a page not read
            for (CallSyncRepository.Mapping m : expected.values().stream().sorted(Comparator.comparing(CallSyncRepository.Mapping::callId)).toList()) {
                if (settled.contains(m.callId()) || seenIds.contains(m.zohoCallId()) || byCall.containsKey(m.callId())) {
                    continue;
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("callId", m.callId());
                d.put("zohoCallId", m.zohoCallId());
                boolean recreated = options.recreateDeleted() && calls.forgetDeletedCall(tenant, m.callId(), m.zohoCallId());
                if (recreated) {
                    producer.sendBodyAndHeader(handOffUri, m.callId(), Tenancy.HEADER, tenant);
                }
                d.put("recreated", recreated);
                deleted.add(d);
            }
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tenant", tenant);
        report.put("startedAt", started.toString());
        report.put("finishedAt", clock.instant().toString());
        report.put("since", since.toString());
        report.put("pages", pages);
        report.put("checked", checked);
        report.put("deleted", deleted);
        report.put("duplicates", duplicates);
        report.put("adopted", adopted);
        report.put("truncated", truncated);
        count(tenant, "deleted", deleted.size());
        count(tenant, "duplicate", duplicates.size());
        count(tenant, "adopted", adopted.size());
        try {
            reports.store(tenant, clock.instant(), mapper.writeValueAsString(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        LOG.info("reconciled tenant={} checked={} pages={} truncated={} deleted={} duplicates={} adopted={}", tenant, checked, pages,
                truncated, deleted.size(), duplicates.size(), adopted.size());
        return report;
    }

    private void count(String tenant, String kind, int n) {
        Counter c = Counter.builder("scc_reconcile_findings").description("drift reconciliation found between our mapping and Zoho")
                .tag("tenant", tenant).tag("kind", kind).register(meters);
        if (n > 0) {
            c.increment(n);
        }
    }

    private static final Comparator<Seen> OLDEST_FIRST = Comparator.comparing(Seen::created, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing((Seen s) -> s.id().length()).thenComparing(Seen::id);

    private static Instant created(JsonNode value) {
        try {
            return value == null || value.isNull() ? null : OffsetDateTime.parse(value.asText()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
