package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import org.apache.camel.ProducerTemplate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin page shows of the sync and does to it beyond the JSON API: recent calls, the agents seen in calls,
 * when each source last sent, the subject the mapper writes, replaying every failure of a kind, and a test call that
 * goes the whole way (inbox, sync, Zoho) like a real one.
 */
public final class SyncOverview {

    /** Test calls carry this prefix in their callId and this tag: easy to find (and delete) in Zoho. */
    public static final String TEST_PREFIX = "scc-test-";
    public static final String TEST_TAG = "scc-test";
    /** The source of a test call's event: never counted as a provider's webhook. */
    public static final String TEST_SOURCE = "admin-test";
    /** The most calls one "replay all" takes: a larger backlog is replayed in several clicks. */
    public static final int REPLAY_ALL_MAX = 500;
    private static final long LAST_EVENT_WINDOW = 200_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An agent seen in the tenant's calls, with the Zoho user it is mapped to (null: none). */
    public record SeenAgent(String key, String id, String email, String name, int calls, String zohoUserId) {
    }

    /**
     * The subject the mapper writes for a recent call, with the template it comes from and the call's value of each
     * placeholder (what the admin page's live preview renders a template being typed from).
     */
    public record SubjectPreview(String callId, String template, String subject, Map<String, String> values) {
    }

    private final CallSyncRepository repository;
    private final SyncTenants tenants;
    private final SyncAdmin admin;
    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final ProducerTemplate producer;
    private final String handOffUri;
    private final Clock clock;
    private final String deploymentSubjectTemplate;

    SyncOverview(CallSyncRepository repository, SyncTenants tenants, SyncAdmin admin, EventInbox inbox, ObjectMapper mapper,
                 ProducerTemplate producer, String handOffUri, Clock clock, String deploymentSubjectTemplate) {
        this.repository = repository;
        this.tenants = tenants;
        this.admin = admin;
        this.inbox = inbox;
        this.mapper = mapper;
        this.producer = producer;
        this.handOffUri = handOffUri;
        this.clock = clock;
        this.deploymentSubjectTemplate = deploymentSubjectTemplate;
    }

    public List<CallSyncRepository.Recent> recent(String tenant, int limit) {
        return repository.recent(tenant, limit);
    }

    public Optional<CallSyncRepository.Recent> call(String tenant, String callId) {
        return repository.recentOne(tenant, callId);
    }

    /**
     * The agents of the tenant's calls received within {@code days} (among the last 200,000 events), unmapped first, then
     * by calls; each with the user the sync would give its calls (the tenant's saved map; default's is config/agents.yaml).
     */
    public List<SeenAgent> agents(String tenant, int days) {
        Instant since = clock.instant().minus(Duration.ofDays(days));
        AgentDirectory map = tenants.agents(tenant);
        List<SeenAgent> out = new ArrayList<>();
        for (CallSyncRepository.AgentSeen a : repository.agentsSeen(tenant, since, LAST_EVENT_WINDOW, 1000)) {
            out.add(new SeenAgent(a.key(), a.id(), a.email(), a.name(), a.calls(), map.userFor(a.id(), a.email()).orElse(null)));
        }
        // unmapped first; within each group, the order of the query (most calls first)
        out.sort(java.util.Comparator.comparing(a -> a.zohoUserId() != null));
        return out;
    }

    /** When each source (canonical, twilio, …) last delivered an event of the tenant; test calls are not a source. */
    public Map<String, Instant> lastEventBySource(String tenant) {
        Map<String, Instant> m = new java.util.HashMap<>(repository.lastEventBySource(tenant, LAST_EVENT_WINDOW));
        m.remove(TEST_SOURCE);
        return m;
    }

    /** The tenant's Call subject template (scc.zoho.call-subject-template). */
    public String subjectTemplate(String tenant) {
        return tenants.settings(tenant).subjectTemplate();
    }

    /** The deployment's template (scc.zoho.call-subject-template): what a tenant without one of its own gets. */
    public String deploymentSubjectTemplate() {
        return deploymentSubjectTemplate;
    }

    /** The subject of the tenant's most recent call with a merged state, as the mapper writes it now. */
    public Optional<SubjectPreview> subjectPreview(String tenant) {
        SyncSettings s = tenants.settings(tenant);
        for (CallSyncRepository.Recent r : repository.recent(tenant, 10)) {
            Optional<CallState> state = repository.state(tenant, r.callId());
            if (state.isPresent() && state.get().call() != null) {
                return Optional.of(new SubjectPreview(r.callId(), s.subjectTemplate(), new CallMapper(s, mapper).subject(state.get()),
                        CallMapper.subjectValues(state.get())));
            }
        }
        return Optional.empty();
    }

    public Map<String, Long> failureCodes(String tenant) {
        return repository.failureCodes(tenant);
    }

    /** Replays every parked and dead call of the tenant that failed with {@code code} (at most {@link #REPLAY_ALL_MAX}). */
    public int replayAll(String tenant, String code) {
        int n = 0;
        for (String callId : repository.failedWith(tenant, code, REPLAY_ALL_MAX)) {
            if (admin.replay(tenant, callId)) {
                n++;
            }
        }
        return n;
    }

    /** The number the admin typed is not a phone number (in the tenant's default region). */
    public static final class InvalidNumber extends RuntimeException {
        InvalidNumber(String message) {
            super(message);
        }
    }

    /**
     * A synthetic answered outbound call of one second to {@code number}, stored in the inbox like a webhook's event and
     * handed to the sync: it finds or creates the person and writes a Call to Zoho, exactly as a real call would. Marked
     * as a test ({@link #TEST_PREFIX}, tag {@link #TEST_TAG}, the notes). Returns its callId.
     */
    public String testCall(String tenant, String number) {
        String region = tenants.settings(tenant).defaultRegion();
        String normalized = PhoneNumbers.normalize(number, region).orElse(null);
        if (normalized == null || PhoneNumbers.ANONYMOUS.equals(normalized) || PhoneNumbers.digitCount(normalized) < 6) {
            throw new InvalidNumber("Enter a phone number, e.g. +1 415 555 0100 (numbers without a country code are read as " + region + ").");
        }
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC).withNano(0);
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        String callId = TEST_PREFIX + now.toEpochSecond() + "-" + java.util.HexFormat.of().formatHex(id);
        CallEvent event = new CallEvent(callId + ":ended", callId, "call.ended", now.plusSeconds(1), "outbound", "answered",
                PhoneNumbers.ANONYMOUS, normalized, PhoneNumbers.ANONYMOUS, number.trim(), now, now, now.plusSeconds(1), 1,
                null, null, "Test call sent from the scc-zoho-sync admin page; safe to delete.", List.of(TEST_TAG), null, null,
                null, null, null);
        byte[] raw;
        try {
            raw = mapper.writeValueAsString(Map.of("testCall", callId, "to", normalized)).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        inbox.store(tenant, event, raw, TEST_SOURCE);
        producer.sendBodyAndHeader(handOffUri, callId, Tenancy.HEADER, tenant);
        return callId;
    }
}
