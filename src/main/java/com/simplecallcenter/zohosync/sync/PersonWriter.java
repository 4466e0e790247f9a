package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoNotConnectedException;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import com.simplecallcenter.zohosync.zoho.ZohoRateLimitedException;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;

import java.util.List;
import java.util.Optional;

/**
 * Writes the person: a found record gets only the fields {@code scc.zoho.update-fields} allows (route contact-updates);
 * a missing one is created ({@code scc.zoho.create-missing}). A create is marked started (committed) before it is
 * sent, so an unknown outcome is looked up by COQL on the next attempt instead of creating twice.
 */
public class PersonWriter {

    private final SyncTenants tenants;
    private final SyncSettings settings;
    private final CallSyncRepository repository;
    private final PersonMatcher matcher;
    private final PersonCreatedRepository created;
    private final ObjectMapper mapper;

    public PersonWriter(SyncTenants tenants, SyncSettings settings, CallSyncRepository repository,
                        PersonMatcher matcher, PersonCreatedRepository created, ObjectMapper mapper) {
        this.tenants = tenants;
        this.settings = settings;
        this.repository = repository;
        this.matcher = matcher;
        this.created = created;
        this.mapper = mapper;
    }

    /** Route step for a found record: fills allowed empty fields; no request when nothing is to change. */
    public void updateAllowed(SyncWork work) {
        MatchRules.Match m = work.getMatch();
        if (m == null || m.record() == null) {
            return;
        }
        ObjectNode record = m.record();
        ObjectNode changes = mapper.createObjectNode();
        String phone = matcher.customerPhone(work.getState());
        String email = PersonMatcher.customerEmail(work.getState());
        CallEvent.Caller caller = work.getState().call().caller();
        SyncSettings tenant = tenants.settings(work.getTenant());
        for (String field : tenant.updateFields()) {
            String value = value(field, phone, email, caller, m.module());
            if (value != null && MatchRules.text(record, field) == null && !alreadyHeld(record, field, phone, email, tenant.defaultRegion())) {
                changes.put(field, value);
            }
        }
        // the tenant's overwrite rule (scc.zoho.overwrite-fields unless it has its own)
        for (String field : tenant.overwriteFields()) {
            String value = value(field, phone, email, caller, m.module());
            if (value != null && !value.equals(MatchRules.text(record, field)) && !alreadyHeld(record, field, phone, email, tenant.defaultRegion())) {
                changes.put(field, value);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        changes.put("id", m.id());
        work.countZohoRequest();
        List<ZohoClient.RecordResult> results = tenants.zoho(work.getTenant()).update(m.module(), List.of(changes));
        SyncFailures.requireSuccess(results);
        ObjectNode updated = record.deepCopy();
        changes.fields().forEachRemaining(f -> updated.set(f.getKey(), f.getValue()));
        matcher.remember(work.getTenant(), email, phone, new MatchRules.Match(m.module(), m.id(), updated, m.ambiguity()));
    }

    /** Route step when nothing matched: creates the Lead or Contact once, even across crashes and retries. */
    public void create(SyncWork work) {
        String module = work.getPersonAction().module();
        String phone = matcher.customerPhone(work.getState());
        String email = PersonMatcher.customerEmail(work.getState());
        CallSyncRow row = repository.find(work.getTenant(), work.getCallId()).orElseThrow();
        if (row.personCreateStartedAt() != null && matcher.adoptEarlierCreate(work, row.personCreateModule())) {
            // a redelivery of this step after an unanswered create: that create went through
            return;
        }
        ObjectNode record = newRecord(module, work, phone, email);
        List<String> keys = PersonMatcher.keys(email, phone);
        // both markers are committed before the create is sent: this call and any other call of the same customer
        // look the record up by COQL if the outcome stays unknown
        repository.markPersonCreateStarted(work.getTenant(), work.getCallId(), module);
        created.begin(work.getTenant(), keys, module, work.getCallId());
        ZohoClient.RecordResult result;
        try {
            // committed markers first; the batcher may send this record together with other calls' new records
            result = tenants.writes(work.getTenant()).insert(module, record, work::countZohoRequests);
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            // refused before anything was written: no look-up needed next time
            repository.clearPersonCreateStarted(work.getTenant(), work.getCallId());
            created.abandon(work.getTenant(), keys);
            throw e;
        }
        ZohoClient.RecordResult r;
        try {
            r = SyncFailures.requireSuccess(result);
        } catch (RuntimeException e) {
            // Zoho refused this record (INVALID_DATA, RECORD_LOCKED…): nothing was created
            repository.clearPersonCreateStarted(work.getTenant(), work.getCallId());
            created.abandon(work.getTenant(), keys);
            throw e;
        }
        repository.storePerson(work.getTenant(), work.getCallId(), module, r.id(), null);
        created.complete(work.getTenant(), keys, module, r.id(), work.getCallId());
        ObjectNode snapshot = record.deepCopy();
        snapshot.put("id", r.id());
        matcher.remember(work.getTenant(), email, phone, new MatchRules.Match(module, r.id(), snapshot, null));
        work.link(module, r.id());
    }

    ObjectNode newRecord(String module, SyncWork work, String phone, String email) {
        CallEvent.Caller caller = work.getState().call().caller();
        ObjectNode rec = mapper.createObjectNode();
        String first = caller == null ? null : blankToNull(caller.firstName());
        String last = caller == null ? null : blankToNull(caller.lastName());
        if (first != null) {
            rec.put("First_Name", first);
        }
        rec.put("Last_Name", last != null ? last : "Unknown caller " + (phone != null ? phone : email));
        if (phone != null) {
            rec.put("Phone", phone);
        }
        if (email != null) {
            rec.put("Email", email);
        }
        if (module.equals("Leads")) {
            String company = caller == null ? null : blankToNull(caller.company());
            rec.put("Company", company != null ? company : settings.leadCompanyFallback());
            rec.put("Lead_Source", tenants.settings(work.getTenant()).leadSource());
        }
        if (work.getOwnerId() != null) {
            rec.putObject("Owner").put("id", work.getOwnerId());
        }
        return rec;
    }

    private static String value(String field, String phone, String email, CallEvent.Caller caller, String module) {
        return switch (field) {
            case "Phone" -> phone;
            case "Email" -> email;
            case "First_Name" -> caller == null ? null : blankToNull(caller.firstName());
            case "Last_Name" -> caller == null ? null : blankToNull(caller.lastName());
            case "Company" -> module.equals("Leads") && caller != null ? blankToNull(caller.company()) : null;
            default -> null;
        };
    }

    /** The record already holds our number in another phone field, or our email: nothing to add. */
    private boolean alreadyHeld(ObjectNode record, String field, String phone, String email, String region) {
        if (field.equals("Phone") && phone != null) {
            return MatchRules.phoneMatches(record, phone, region);
        }
        if (field.equals("Email") && email != null) {
            return MatchRules.emailMatches(record, email);
        }
        return false;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
