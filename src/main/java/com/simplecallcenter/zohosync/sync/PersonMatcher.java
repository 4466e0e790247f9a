package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the Lead or Contact of the call's customer (the other party, never one of our own lines): one criteria search
 * per module of {@code scc.zoho.match-modules}, each candidate confirmed by {@link MatchRules} since Zoho's
 * {@code equals} matches like "contains". Confirmed matches and the records we create are cached; a record whose
 * create had an unknown outcome is looked up by COQL, which reads live data, never by search.
 */
public class PersonMatcher {

    private final SyncTenants tenants;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final CallSyncRepository repository;
    private final PersonCreatedRepository created;
    private final CallLocks locks;
    private final Cache<String, MatchRules.Match> cache;
    /** Runs the searches of further match modules started ahead while the org has idle slots (daemon, idle threads end). */
    private static final java.util.concurrent.ExecutorService SEARCHES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scc-search-ahead");
        t.setDaemon(true);
        return t;
    });

    public PersonMatcher(SyncTenants tenants, SyncSettings settings, SyncMetrics metrics, CallSyncRepository repository,
                         PersonCreatedRepository created, CallLocks locks) {
        this.tenants = tenants;
        this.settings = settings;
        this.metrics = metrics;
        this.repository = repository;
        this.created = created;
        this.locks = locks;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(settings.matchCacheTtl())
                .maximumSize(settings.matchCacheSize())
                .build();
    }

    /**
     * Our customer's normalized number, or null when anonymous, unusable, one of our own lines, or an internal
     * extension or short code (fewer digits than {@code scc.match.min-phone-digits}): such a number matches no one
     * and creates no one.
     */
    public String customerPhone(CallState s) {
        String n = s.customerNumber();
        if (n == null || PhoneNumbers.ANONYMOUS.equals(n) || settings.isOwnNumber(n)
                || PhoneNumbers.digitCount(n) < settings.minPhoneDigits()) {
            return null;
        }
        return n;
    }

    public static String customerEmail(CallState s) {
        CallEvent.Caller c = s.call().caller();
        return c == null || c.email() == null || c.email().isBlank() ? null : c.email().trim().toLowerCase(Locale.ROOT);
    }

    /** The keys a customer is cached, locked and remembered under: {@code email:…} and {@code phone:…}. */
    public static List<String> keys(String email, String phone) {
        List<String> keys = new ArrayList<>(2);
        if (email != null) {
            keys.add("email:" + email);
        }
        if (phone != null) {
            keys.add("phone:" + phone);
        }
        return keys;
    }

    /**
     * Route step: decides the {@link PersonAction}. Past the cache the customer is locked for the rest of the call's run
     * ({@link CallLocks#lockPerson}), so one call of a customer at a time looks and creates, on any instance; records this
     * service created lately are read from the database before searching, since Zoho's search index lags.
     */
    public void match(SyncWork work, Exchange exchange) {
        CallSyncRow row = work.getRow();
        if (row.zohoRecordId() != null) {
            work.link(row.zohoModule(), row.zohoRecordId());
            work.setAmbiguity(row.ambiguity());
            work.setPersonAction(PersonAction.LINKED);
            return;
        }
        if (named(work)) {
            return;
        }
        String email = customerEmail(work.getState());
        String phone = customerPhone(work.getState());
        List<String> keys = keys(email, phone);
        if (row.personCreateStartedAt() != null) {
            // an earlier create may have happened (timeout, crash before we stored its id)
            Optional<MatchRules.Match> recovered = recover(work, row.personCreateModule(), email, phone);
            if (recovered.isPresent()) {
                adoptCreated(work, keys, email, phone, recovered.get());
                return;
            }
            created.abandon(work.getTenant(), keys);
        }
        if (keys.isEmpty()) {
            work.setPersonAction(PersonAction.NONE);
            return;
        }
        Optional<MatchRules.Match> hit = cached(work.getTenant(), email, phone, true);
        if (hit.isEmpty()) {
            locks.lockPerson(exchange, keys, settings.personLockWait());
            // whoever held the lock may have just found or created this customer
            hit = cached(work.getTenant(), email, phone, false);
        }
        if (hit.isEmpty()) {
            Optional<PersonCreatedRepository.Created> ours = created.find(work.getTenant(), keys, settings.createdWindow());
            if (ours.isPresent() && ours.get().id() != null) {
                adoptCreated(work, keys, email, phone, new MatchRules.Match(ours.get().module(), ours.get().id(), null, null));
                return;
            }
            if (ours.isPresent()) {
                // another call's create of this customer has an unknown outcome: COQL sees live data
                Optional<MatchRules.Match> theirs = recover(work, ours.get().module(), email, phone);
                if (theirs.isPresent()) {
                    created.complete(work.getTenant(), keys, theirs.get().module(), theirs.get().id(), ours.get().callId());
                    adoptCreated(work, keys, email, phone, theirs.get());
                    return;
                }
                created.abandon(work.getTenant(), keys);
            }
            hit = searched(work, email, phone);
        }
        if (hit.isPresent()) {
            MatchRules.Match m = hit.get();
            repository.storePerson(work.getTenant(), work.getCallId(), m.module(), m.id(), m.ambiguity());
            work.setMatch(m);
            work.setAmbiguity(m.ambiguity());
            work.link(m.module(), m.id());
            work.setPersonAction(PersonAction.FOUND);
            return;
        }
        work.setPersonAction(PersonAction.createMissing(tenants.settings(work.getTenant()).createMissing()));
    }

    /**
     * The sender named the customer's record (a 3CX template's EntityType/EntityId): one read by id confirms it
     * exists, and the call is logged on it without a search. A record Zoho does not have (deleted, or an id from
     * another org) is ignored and the customer matched as usual.
     */
    private boolean named(SyncWork work) {
        CallEvent.ZohoRecord named = work.getState().call().zohoRecord();
        if (named == null || !("Leads".equals(named.module()) || "Contacts".equals(named.module()))) {
            return false;
        }
        work.countZohoRequest();
        Optional<ObjectNode> record = tenants.zoho(work.getTenant()).get(named.module(), named.id());
        if (record.isEmpty()) {
            return false;
        }
        MatchRules.Match m = new MatchRules.Match(named.module(), named.id(), record.get(), null);
        repository.storePerson(work.getTenant(), work.getCallId(), m.module(), m.id(), null);
        work.setMatch(m);
        work.link(m.module(), m.id());
        work.setPersonAction(PersonAction.FOUND);
        return true;
    }

    /**
     * After an attempt of this call's create whose outcome is unknown (the step is being redelivered): links the
     * record that attempt made, found by COQL (live data), and returns true; false when it made none.
     */
    public boolean adoptEarlierCreate(SyncWork work, String module) {
        String email = customerEmail(work.getState());
        String phone = customerPhone(work.getState());
        Optional<MatchRules.Match> m = recover(work, module, email, phone);
        m.ifPresent(found -> adoptCreated(work, keys(email, phone), email, phone, found));
        return m.isPresent();
    }

    /** A record this service created (now, earlier for this call, or for another call of the same customer). */
    private void adoptCreated(SyncWork work, List<String> keys, String email, String phone, MatchRules.Match m) {
        repository.storePerson(work.getTenant(), work.getCallId(), m.module(), m.id(), null);
        created.complete(work.getTenant(), keys, m.module(), m.id(), work.getCallId());
        remember(work.getTenant(), email, phone, m);
        work.link(m.module(), m.id());
        work.setPersonAction(PersonAction.LINKED);
    }

    private Optional<MatchRules.Match> cached(String tenant, String email, String phone, boolean count) {
        if (email != null) {
            MatchRules.Match hit = cache.getIfPresent(tenant + "|email:" + email);
            if (count) {
                metrics.cache(hit != null);
            }
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        if (phone != null) {
            MatchRules.Match hit = cache.getIfPresent(tenant + "|phone:" + phone);
            if (count) {
                metrics.cache(hit != null);
            }
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        return Optional.empty();
    }

    /**
     * One criteria search per match module, in order, stopping at the first module with a confirmed match. While the
     * org has an idle request slot for each further module ({@code scc.zoho.use-idle-slots}), the modules are searched
     * at once instead: the caller waits one request, not one per module, and the order still decides between hits (a
     * Contacts hit wins over a Leads hit found in the same moment). The price is the later modules' searches when an
     * earlier module has the caller; a new caller (no module has it) costs the same either way.
     */
    private Optional<MatchRules.Match> searched(SyncWork work, String email, String phone) {
        String tenant = work.getTenant();
        ZohoClient zoho = tenants.zoho(tenant);
        List<String> modules = settings.matchModules();
        List<java.util.concurrent.CompletableFuture<List<ObjectNode>>> ahead = new ArrayList<>();
        if (modules.size() > 1 && zoho.idleSlots() >= modules.size()) {
            for (String module : modules.subList(1, modules.size())) {
                work.countZohoRequest();
                ahead.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> search(zoho, module, email, phone), SEARCHES));
            }
        }
        // a search started ahead and not needed (an earlier module had the caller) just ends on its own
        for (int i = 0; i < modules.size(); i++) {
            String module = modules.get(i);
            List<ObjectNode> candidates;
            if (i == 0 || ahead.isEmpty()) {
                work.countZohoRequest();
                candidates = search(zoho, module, email, phone);
            } else {
                candidates = joined(ahead.get(i - 1));
            }
            Optional<MatchRules.Match> m = confirmed(tenant, module, candidates, email, phone);
            if (m.isPresent()) {
                remember(tenant, email, phone, m.get());
                return m;
            }
        }
        return Optional.empty();
    }

    private static List<ObjectNode> search(ZohoClient zoho, String module, String email, String phone) {
        return zoho.search(module, ZohoClient.SearchBy.CRITERIA, MatchRules.criteria(module, email, phone), MatchRules.searchFields(module));
    }

    /** The answer of a search started ahead, or its exception as thrown by the search itself (the error routes classify it). */
    private static List<ObjectNode> joined(java.util.concurrent.CompletableFuture<List<ObjectNode>> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Optional<MatchRules.Match> confirmed(String tenant, String module, List<ObjectNode> candidates, String email, String phone) {
        Optional<MatchRules.Match> m = Optional.empty();
        if (email != null) {
            m = MatchRules.choose(module, candidates.stream().filter(r -> MatchRules.emailMatches(r, email)).toList(), "email");
        }
        if (m.isEmpty() && phone != null) {
            m = MatchRules.choose(module, candidates.stream()
                    .filter(r -> MatchRules.phoneMatches(r, phone, tenants.settings(tenant).defaultRegion())).toList(), "phone");
        }
        return m;
    }

    /** COQL reads live data: finds a record an earlier, unanswered create may have made (we write E.164 and the email). */
    private Optional<MatchRules.Match> recover(SyncWork work, String module, String email, String phone) {
        if (module == null) {
            return Optional.empty();
        }
        List<String> where = new ArrayList<>();
        if (email != null) {
            where.add("Email = '" + coqlLiteral(email) + "'");
        }
        if (phone != null) {
            where.add("Phone = '" + coqlLiteral(phone) + "'");
        }
        if (where.isEmpty()) {
            return Optional.empty();
        }
        work.countZohoRequest();
        List<ObjectNode> rows = tenants.zoho(work.getTenant()).coql("select id, Email, Phone, Modified_Time from " + module + " where "
                + (where.size() == 1 ? where.get(0) : "(" + where.get(0) + " or " + where.get(1) + ")") + " limit 10");
        // the oldest (lowest id) is the one our first attempt made
        return rows.stream().map(r -> MatchRules.text(r, "id")).filter(id -> id != null)
                .min((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b))
                .map(id -> new MatchRules.Match(module, id, null, null));
    }

    /**
     * The linked record is gone from Zoho (deleted or merged): forgets it everywhere this instance and the database
     * keep it, so the next attempt matches the customer afresh.
     */
    public void forget(String tenant, String email, String phone, String recordId) {
        for (String key : keys(email, phone)) {
            MatchRules.Match m = cache.getIfPresent(tenant + "|" + key);
            if (m != null && m.id().equals(recordId)) {
                cache.invalidate(tenant + "|" + key);
            }
        }
        created.forget(tenant, recordId);
    }

    /** An erased person: whatever this instance cached under their keys ({@code email:…}, {@code phone:…}) is dropped. */
    public void forgetPerson(String tenant, List<String> keys) {
        for (String key : keys) {
            cache.invalidate(tenant + "|" + key);
        }
    }

    /** Puts a match (found or created) in the cache under the customer's email and phone. */
    public void remember(String tenant, String email, String phone, MatchRules.Match m) {
        if (email != null) {
            cache.put(tenant + "|email:" + email, m);
        }
        if (phone != null) {
            cache.put(tenant + "|phone:" + phone, m);
        }
    }

    public long cacheSize() {
        return cache.estimatedSize();
    }

    /** COQL string literal: quotes and backslashes escaped (internal ids never need it; emails might). */
    static String coqlLiteral(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
