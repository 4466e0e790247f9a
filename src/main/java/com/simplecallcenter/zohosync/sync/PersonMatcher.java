package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.ingest.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import com.simplecallcenter.zohosync.zoho.ZohoClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the Lead or Contact of the call's customer (the caller of an inbound call, the callee of an outbound one,
 * never one of our own lines) with one criteria search per module of {@code scc.zoho.match-modules}, in order,
 * asking for the email and the number in the formats people type ({@link MatchRules#criteria}); every candidate
 * is confirmed by {@link MatchRules}, an email match before a phone match. Confirmed matches are
 * cached by normalized email/phone; records we create are put in the cache. A call already linked by an earlier
 * run keeps its record; after a create whose outcome is unknown, the record is looked up by COQL (live data),
 * never by search (index delay).
 */
public class PersonMatcher {

    private final ZohoClient zoho;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final CallSyncRepository repository;
    private final Cache<String, MatchRules.Match> cache;

    public PersonMatcher(ZohoClient zoho, SyncSettings settings, SyncMetrics metrics, CallSyncRepository repository) {
        this.zoho = zoho;
        this.settings = settings;
        this.metrics = metrics;
        this.repository = repository;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(settings.matchCacheTtl())
                .maximumSize(settings.matchCacheSize())
                .build();
    }

    /** Our customer's normalized number, or null when anonymous, unusable or one of our own lines. */
    public String customerPhone(CallState s) {
        String n = s.customerNumber();
        if (n == null || PhoneNumbers.ANONYMOUS.equals(n) || settings.isOwnNumber(n)) {
            return null;
        }
        return n;
    }

    public static String customerEmail(CallState s) {
        CallEvent.Caller c = s.call().caller();
        return c == null || c.email() == null || c.email().isBlank() ? null : c.email().trim().toLowerCase(Locale.ROOT);
    }

    /** Route step: decides {@code personAction} (linked, found, create-Leads, create-Contacts, none). */
    public void match(SyncWork work) {
        CallSyncRow row = work.getRow();
        if (row.zohoRecordId() != null) {
            work.link(row.zohoModule(), row.zohoRecordId());
            work.setAmbiguity(row.ambiguity());
            work.setPersonAction("linked");
            return;
        }
        String email = customerEmail(work.getState());
        String phone = customerPhone(work.getState());
        if (row.personCreateStartedAt() != null) {
            // an earlier create may have happened (timeout, crash before we stored its id)
            Optional<MatchRules.Match> created = recover(work, row.personCreateModule(), email, phone);
            if (created.isPresent()) {
                repository.storePerson(work.getCallId(), created.get().module(), created.get().id(), null);
                remember(email, phone, created.get());
                work.link(created.get().module(), created.get().id());
                work.setPersonAction("linked");
                return;
            }
        }
        Optional<MatchRules.Match> found = find(work, email, phone);
        if (found.isPresent()) {
            MatchRules.Match m = found.get();
            repository.storePerson(work.getCallId(), m.module(), m.id(), m.ambiguity());
            work.setMatch(m);
            work.setAmbiguity(m.ambiguity());
            work.link(m.module(), m.id());
            work.setPersonAction("found");
            return;
        }
        boolean identifiable = email != null || phone != null;
        work.setPersonAction(identifiable && !settings.createMissing().equals("none") ? "create-" + settings.createMissing() : "none");
    }

    private Optional<MatchRules.Match> find(SyncWork work, String email, String phone) {
        if (email == null && phone == null) {
            return Optional.empty();
        }
        if (email != null) {
            MatchRules.Match hit = cache.getIfPresent("email:" + email);
            metrics.cache(hit != null);
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        if (phone != null) {
            MatchRules.Match hit = cache.getIfPresent("phone:" + phone);
            metrics.cache(hit != null);
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        for (String module : settings.matchModules()) {
            work.countZohoRequest();
            List<ObjectNode> candidates = zoho.search(module, ZohoClient.SearchBy.CRITERIA, MatchRules.criteria(module, email, phone),
                    MatchRules.searchFields(module));
            Optional<MatchRules.Match> m = Optional.empty();
            if (email != null) {
                m = MatchRules.choose(module, candidates.stream().filter(r -> MatchRules.emailMatches(r, email)).toList(), "email");
            }
            if (m.isEmpty() && phone != null) {
                m = MatchRules.choose(module, candidates.stream()
                        .filter(r -> MatchRules.phoneMatches(r, phone, settings.defaultRegion())).toList(), "phone");
            }
            if (m.isPresent()) {
                remember(email, phone, m.get());
                return m;
            }
        }
        return Optional.empty();
    }

    /** COQL reads live data: finds a record an earlier, unanswered create may have made (we write E.164 and the email). */
    Optional<MatchRules.Match> recover(SyncWork work, String module, String email, String phone) {
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
        List<ObjectNode> rows = zoho.coql("select id, Email, Phone, Modified_Time from " + module + " where "
                + (where.size() == 1 ? where.get(0) : "(" + where.get(0) + " or " + where.get(1) + ")") + " limit 10");
        // the oldest (lowest id) is the one our first attempt made
        return rows.stream().map(r -> MatchRules.text(r, "id")).filter(id -> id != null)
                .min((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b))
                .map(id -> new MatchRules.Match(module, id, null, null));
    }

    /** Puts a match (found or created) in the cache under the customer's email and phone. */
    public void remember(String email, String phone, MatchRules.Match m) {
        if (email != null) {
            cache.put("email:" + email, m);
        }
        if (phone != null) {
            cache.put("phone:" + phone, m);
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
