package com.simplecallcenter.zohosync.zoho;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daily credit budget of each tenant's Zoho org (issue 14): what every request costs by Zoho's credit table, the
 * credits spent in the rolling 24 h window across all instances (table {@code zoho_credit_usage}, one row per tenant
 * and minute), and whether the budget ({@code scc.zoho.daily-credits}) is spent. Credits are added up in memory and
 * written, with the window's sum read back, at most every {@link #FRESH}: a request costs no database round trip,
 * and the budget can be overshot by what all instances spend in those seconds.
 */
public final class ZohoCredits {

    private static final Logger LOG = LoggerFactory.getLogger("scc.zoho");
    /** Zoho's window: a credit spent at t returns at t + 24 h. */
    static final Duration WINDOW = Duration.ofHours(24);
    /** How long a read of the window's sum is used before it is read again. */
    static final Duration FRESH = Duration.ofSeconds(2);
    /** The share of the budget at which a tenant is warned (metric, log line, admin page). */
    public static final double WARN_AT = 0.8;
    private static final Pattern COQL_LIMIT = Pattern.compile("(?i)\\blimit\\s+(\\d{1,9})");

    /** The credits a tenant spent in the last 24 hours (as last read), and its budget; {@code budget} 0: none. */
    public record Usage(long used, long budget) {
        public double ratio() {
            return budget <= 0 ? 0 : (double) used / budget;
        }

        public boolean exhausted() {
            return budget > 0 && used >= budget;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Each tenant's daily budget: its own dailyCredits, else scc.zoho.daily-credits (0: none). */
    private final java.util.function.ToLongFunction<String> budget;
    private final Duration refusedPause;
    private final ConcurrentMap<String, Tally> tallies = new ConcurrentHashMap<>();

    ZohoCredits(DataSource dataSource, Clock clock, MeterRegistry meters, java.util.function.ToLongFunction<String> budget,
                Duration refusedPause) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.meters = meters;
        this.budget = budget;
        this.refusedPause = refusedPause;
    }

    /**
     * What one request costs by Zoho's credit table (docs/zoho-crm-api.md §9): an insert or update 1 credit per 10
     * records (at least 1), COQL by its LIMIT (1–200: 1, 201–1000: 2, more: 3; no LIMIT is 200), anything else 1.
     */
    static long cost(String verb, int records, String coqlQuery) {
        if (records > 0) {
            return (records + 9) / 10;
        }
        if (coqlQuery != null) {
            Matcher m = COQL_LIMIT.matcher(coqlQuery);
            long limit = m.find() ? Long.parseLong(m.group(1)) : 200;
            return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
        }
        return 1;
    }

    /** Counts credits Zoho charged the tenant now ({@code scc_zoho_credits_total{tenant}}). */
    void spent(String tenant, long credits) {
        Tally t = tally(tenant);
        t.counter.increment(credits);
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        synchronized (t) {
            t.pending.merge(minute, credits, Long::sum);
        }
    }

    /**
     * Zoho refused a request because the org's credits are spent (its count can be ahead of ours: other apps share the
     * org): the tenant counts as exhausted for {@code scc.zoho.credits-refused-pause}, on this instance.
     */
    void refusedByZoho(String tenant) {
        Tally t = tally(tenant);
        synchronized (t) {
            boolean first = t.refusedUntil == null || !t.refusedUntil.isAfter(clock.instant());
            t.refusedUntil = clock.instant().plus(refusedPause);
            if (first) {
                LOG.warn("tenant={} Zoho refused a request: the org's API credits of the last 24 h are spent; calls wait until {}",
                        tenant, t.refusedUntil);
            }
        }
    }

    /** The tenant's credits of the last 24 hours and its budget (read at most every few seconds). */
    public Usage usage(String tenant) {
        Tally t = tally(tenant);
        synchronized (t) {
            Instant now = clock.instant();
            if (t.readAt == null || now.isBefore(t.readAt) || !now.isBefore(t.readAt.plus(FRESH))) {
                refresh(t, now);
            }
            long used = t.stored + t.pending.values().stream().mapToLong(Long::longValue).sum();
            Usage u = new Usage(used, budget.applyAsLong(tenant));
            warnOnce(t, u);
            return u;
        }
    }

    /** Whether the tenant's calls must wait: its budget is spent, or Zoho said so a moment ago. */
    public boolean exhausted(String tenant) {
        return exhausted(tenant, 0);
    }

    /** Whether a request costing {@code credits} would go over the budget (or Zoho refused the last one). */
    boolean exhausted(String tenant, long credits) {
        Usage u = usage(tenant);
        if (u.budget() > 0 && (u.exhausted() || (credits > 0 && u.used() + credits > u.budget()))) {
            return true;
        }
        Tally t = tally(tenant);
        synchronized (t) {
            return t.refusedUntil != null && clock.instant().isBefore(t.refusedUntil);
        }
    }

    /** Writes what is counted but not written yet (at shutdown). */
    void flush() {
        tallies.values().forEach(t -> {
            synchronized (t) {
                try {
                    write(t);
                } catch (DataAccessException e) {
                    LOG.warn("tenant={} {} Zoho credits counted here were not written: {}", t.tenant,
                            t.pending.values().stream().mapToLong(Long::longValue).sum(), e.getMessage());
                }
            }
        });
    }

    private void refresh(Tally t, Instant now) {
        try {
            write(t);
            Long sum = jdbc.queryForObject("""
                    SELECT coalesce(sum(credits), 0) FROM zoho_credit_usage
                    WHERE tenant_id = ? AND minute > ?""", Long.class, t.tenant, Timestamp.from(now.minus(WINDOW).minus(Duration.ofMinutes(1))));
            t.stored = sum == null ? 0 : sum;
            t.readAt = now;
            if (t.reads++ % 600 == 0) {
                // now and then: minutes that left the window are never read again
                jdbc.update("DELETE FROM zoho_credit_usage WHERE tenant_id = ? AND minute < ?", t.tenant,
                        Timestamp.from(now.minus(WINDOW).minus(Duration.ofHours(1))));
            }
        } catch (DataAccessException e) {
            // the database away: go on with the last sum and keep the pending credits for the next write
            LOG.debug("tenant={} Zoho credits not read/written: {}", t.tenant, e.getMessage());
        }
    }

    private void write(Tally t) {
        for (Map.Entry<Instant, Long> e : Map.copyOf(t.pending).entrySet()) {
            jdbc.update("""
                    INSERT INTO zoho_credit_usage (tenant_id, minute, credits) VALUES (?, ?, ?)
                    ON CONFLICT (tenant_id, minute) DO UPDATE SET credits = zoho_credit_usage.credits + EXCLUDED.credits""",
                    t.tenant, Timestamp.from(e.getKey()), e.getValue());
            t.pending.remove(e.getKey());
        }
    }

    private void warnOnce(Tally t, Usage u) {
        int level = u.exhausted() ? 2 : u.ratio() >= WARN_AT ? 1 : 0;
        if (level > t.warned) {
            if (level == 2) {
                LOG.warn("tenant={} Zoho API credits spent: {} of {} in the last 24 h (scc.zoho.daily-credits); calls are parked "
                        + "CREDITS_EXHAUSTED until the window frees credits", t.tenant, u.used(), u.budget());
            } else {
                LOG.warn("tenant={} Zoho API credits at {} % of the daily budget: {} of {} in the last 24 h (scc.zoho.daily-credits)",
                        t.tenant, Math.round(u.ratio() * 100), u.used(), u.budget());
            }
        }
        t.warned = level;
        t.ratio = u.ratio();
    }

    private Tally tally(String tenant) {
        return tallies.computeIfAbsent(tenant, Tally::new);
    }

    private final class Tally {
        final String tenant;
        final Counter counter;
        /** Credits counted here but not yet written, by the minute they were spent in. */
        final Map<Instant, Long> pending = new HashMap<>();
        long stored;
        Instant readAt;
        long reads;
        Instant refusedUntil;
        int warned;
        volatile double ratio;

        Tally(String tenant) {
            this.tenant = tenant;
            this.counter = Counter.builder("scc.zoho.credits").description("Zoho API credits spent, by Zoho's credit table")
                    .tag("tenant", tenant).register(meters);
            Gauge.builder("scc.zoho.credits.used.ratio", this, x -> x.ratio)
                    .description("Share of the daily Zoho credit budget spent in the last 24 h (1: exhausted)")
                    .tag("tenant", tenant).register(meters);
        }
    }
}
