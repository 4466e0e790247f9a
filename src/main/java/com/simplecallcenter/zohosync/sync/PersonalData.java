package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.ops.Mask;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What we keep of a person, and for how long (docs/security.md, "Personal data"): retention removes the personal fields
 * of calls synced longer than {@code scc.retention.events} ago, and an erasure those of one person's calls at once.
 * Either way a call keeps its ids and sync state, loses its raw request bodies, and its stored events and merged state
 * lose numbers, caller, agent name and email, notes and links. Zoho's records are the customer's: never touched here.
 */
public class PersonalData {

    private static final Logger LOG = LoggerFactory.getLogger("scc.privacy");

    /** The personal fields of a call event (and of its fallback) in jsonb, removed by {@link #withoutPersonalFields}. */
    private static final String PARTY_FIELDS = "'from' - 'to' - 'fromRaw' - 'toRaw'";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SyncTenants tenants;
    private final PersonMatcher matcher;
    private final Problems problems;
    private final Duration retention;
    private final int batch;

    public PersonalData(DataSource dataSource, SyncTenants tenants, PersonMatcher matcher, Problems problems, Duration retention, int batch) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.tenants = tenants;
        this.matcher = matcher;
        this.problems = problems;
        this.retention = retention;
        this.batch = batch;
    }

    /** What one clearing removed. */
    public record Cleared(int calls, int events, int rawBodies) {
    }

    /**
     * Timer step: clears at most {@code scc.retention.batch} calls synced longer than the retention ago, the oldest first;
     * the rest wait for the next run. Calls another instance is clearing are skipped.
     */
    public Cleared retain() {
        Cleared c = tx.execute(status -> {
            List<Map<String, Object>> due = jdbc.queryForList("""
                    SELECT tenant_id, call_id FROM call_sync
                    WHERE status = 'synced' AND personal_data_removed_at IS NULL AND synced_at < now() - ? * interval '1 millisecond'
                    ORDER BY synced_at LIMIT ? FOR UPDATE SKIP LOCKED""", retention.toMillis(), batch);
            List<String> tenantIds = new ArrayList<>();
            List<String> callIds = new ArrayList<>();
            for (Map<String, Object> row : due) {
                tenantIds.add((String) row.get("tenant_id"));
                callIds.add((String) row.get("call_id"));
            }
            return clear(tenantIds, callIds);
        });
        if (c.calls() > 0) {
            LOG.info("retention cleared personal data of calls={} events={} rawBodies={} (synced more than {} ago)",
                    c.calls(), c.events(), c.rawBodies(), org.apache.camel.util.TimeUtils.printDuration(retention.toMillis()));
        }
        return c;
    }

    /**
     * {@code DELETE /api/v1/admin/people?phone=…|email=…} (and the tenant's own): clears the calls of that person in the
     * exchange's tenant, forgets them as a match (the records we created, the cache). 400 unless exactly one of the two.
     */
    public void erase(Exchange exchange) {
        String tenant = Tenancy.of(exchange);
        String phoneParam = exchange.getMessage().getHeader("phone", String.class);
        String emailParam = exchange.getMessage().getHeader("email", String.class);
        boolean byPhone = phoneParam != null && !phoneParam.isBlank();
        boolean byEmail = emailParam != null && !emailParam.isBlank();
        if (byPhone == byEmail) {
            throw ProblemException.badRequest("name the person by exactly one of phone or email",
                    List.of(new FieldError(byPhone ? "email" : "phone", byPhone ? "must not be given with phone" : "phone or email is required")));
        }
        String phone = null;
        String email = null;
        if (byPhone) {
            phone = PhoneNumbers.normalize(phoneParam, tenants.settings(tenant).defaultRegion())
                    .filter(n -> !PhoneNumbers.ANONYMOUS.equals(n)).orElse(null);
            if (phone == null || PhoneNumbers.digitCount(phone) < 3) {
                throw ProblemException.badRequest("phone is not a phone number",
                        List.of(new FieldError("phone", "must be a phone number, e.g. %2B14155550134 (a '+' must be URL-encoded)")));
            }
        } else {
            email = emailParam.trim().toLowerCase(Locale.ROOT);
            if (email.length() > 320 || email.indexOf('@') < 1) {
                throw ProblemException.badRequest("email is not an email address", List.of(new FieldError("email", "must be an email address")));
            }
        }
        List<String> keys = PersonMatcher.keys(email, phone);
        String matchPhone = phone;
        String matchEmail = email;
        Map<String, Object> answer = tx.execute(status -> {
            List<String> callIds = matchPhone != null
                    ? jdbc.queryForList("""
                            SELECT DISTINCT call_id FROM call_event WHERE tenant_id = ?
                              AND ? IN (event->>'from', event->>'to', event->'fallback'->>'from', event->'fallback'->>'to')""",
                    String.class, tenant, matchPhone)
                    : jdbc.queryForList("""
                            SELECT DISTINCT call_id FROM call_event WHERE tenant_id = ? AND lower(event->'caller'->>'email') = ?""",
                    String.class, tenant, matchEmail);
            // a call whose events say nothing of the person any more may still carry them in its merged state
            callIds = new ArrayList<>(new java.util.LinkedHashSet<>(callIds));
            callIds.addAll(matchPhone != null
                    ? jdbc.queryForList("""
                            SELECT call_id FROM call_sync WHERE tenant_id = ?
                              AND ? IN (state->'call'->>'from', state->'call'->>'to') AND NOT call_id = ANY (?)""",
                    String.class, tenant, matchPhone, callIds.toArray(String[]::new))
                    : jdbc.queryForList("""
                            SELECT call_id FROM call_sync WHERE tenant_id = ? AND lower(state->'call'->'caller'->>'email') = ?
                              AND NOT call_id = ANY (?)""",
                    String.class, tenant, matchEmail, callIds.toArray(String[]::new)));
            Cleared c = clear(java.util.Collections.nCopies(callIds.size(), tenant), callIds);
            int matches = jdbc.update("DELETE FROM person_created WHERE tenant_id = ? AND match_key = ANY (?)",
                    tenant, keys.toArray(String[]::new));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("calls", c.calls());
            body.put("events", c.events());
            body.put("rawBodies", c.rawBodies());
            body.put("matchRecords", matches);
            return body;
        });
        // after the commit: a match cached meanwhile would come from Zoho, which is the customer's and may know them
        matcher.forgetPerson(tenant, keys);
        LOG.info("tenant={} erased personal data of {} calls={} events={}", tenant,
                matchPhone != null ? "phone=" + Mask.phone(matchPhone) : "an email", answer.get("calls"), answer.get("events"));
        problems.json(exchange, 200, answer);
    }

    /** Clears the calls named by the two parallel lists, in the caller's transaction. */
    private Cleared clear(List<String> tenantIds, List<String> callIds) {
        if (callIds.isEmpty()) {
            return new Cleared(0, 0, 0);
        }
        Object[] keys = {tenantIds.toArray(String[]::new), callIds.toArray(String[]::new)};
        String theseCalls = "(tenant_id, call_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))";
        // a request's body is shared by the events of all its calls (a CDR batch): it goes with the first of them cleared
        int rawBodies = jdbc.update("DELETE FROM raw_body WHERE id IN (SELECT raw_body_id FROM call_event WHERE " + theseCalls + ")", keys);
        int events = jdbc.update("UPDATE call_event SET raw_body = NULL, event = " + withoutPersonalFields("event") + " WHERE " + theseCalls, keys);
        int calls = jdbc.update("UPDATE call_sync SET personal_data_removed_at = now(), state = CASE WHEN state->'call' IS NOT NULL THEN "
                + "jsonb_set(state, '{call}', " + withoutPersonalFields("(state->'call')") + ") ELSE state END WHERE " + theseCalls, keys);
        return new Cleared(calls, events, rawBodies);
    }

    /** A jsonb expression: the call event {@code doc} without its personal fields (the agent keeps its id, the fallback its outcome). */
    static String withoutPersonalFields(String doc) {
        return "((" + doc + " - " + PARTY_FIELDS + " - 'caller' - 'notes' - 'links')"
                + " || (CASE WHEN " + doc + "->'agent' IS NOT NULL THEN jsonb_build_object('agent', (" + doc + "->'agent') - 'email' - 'name') ELSE '{}'::jsonb END)"
                + " || (CASE WHEN " + doc + "->'fallback' IS NOT NULL THEN jsonb_build_object('fallback', (" + doc + "->'fallback') - " + PARTY_FIELDS + ") ELSE '{}'::jsonb END))";
    }
}
