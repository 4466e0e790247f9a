package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.sync.CallMapper;
import com.simplecallcenter.zohosync.sync.SyncWork;
import com.simplecallcenter.zohosync.sync.SyncTenants;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The optional route {@code deal-links}: the Call of a Contact is also linked ({@code What_Id}) to the Contact's open
 * Deal most recently modified, else its Account ({@code scc.deal-links.policy}). It runs before the Call is written,
 * so the link costs no write; look-ups are cached per Contact. A look-up Zoho refuses for good (no Deals scope, say)
 * leaves the Call without the link rather than stopping the sync.
 */
public class DealLinks {

    public static final String FEATURE = "deal-links";

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final SyncTenants tenants;
    private final FeatureSettings settings;
    private final MeterRegistry meters;
    private final Cache<String, Optional<CallMapper.Link>> cache;

    public DealLinks(SyncTenants tenants, FeatureSettings settings, MeterRegistry meters) {
        this.tenants = tenants;
        this.settings = settings;
        this.meters = meters;
        this.cache = Caffeine.newBuilder().expireAfterWrite(settings.dealLinksCacheTtl())
                .maximumSize(settings.dealLinksCacheSize()).build();
    }

    /** Route step. */
    public void link(SyncWork work) {
        if (!"Contacts".equals(work.getLinkModule()) || work.getLinkId() == null || settings.dealLinksPolicy().equals("none")) {
            return;
        }
        String contactId = work.getLinkId();
        Optional<CallMapper.Link> cached = cache.getIfPresent(work.getTenant() + "|" + contactId);
        if (cached != null) {
            meters.counter("scc_deal_links_cache_total", "result", "hit").increment();
        } else {
            meters.counter("scc_deal_links_cache_total", "result", "miss").increment();
            try {
                cached = lookUp(work, contactId);
            } catch (ZohoPermanentException e) {
                LOG.warn("deal-links: tenant={} call {}: look-up for contact {} refused ({}: {}); the Call is linked to the Contact only",
                        work.getTenant(), work.getCallId(), contactId, LogSafe.text(e.code()), LogSafe.text(e.getMessage()));
                return;
            }
            cache.put(work.getTenant() + "|" + contactId, cached);
        }
        cached.ifPresent(l -> work.relate(l.module(), l.id()));
    }

    private Optional<CallMapper.Link> lookUp(SyncWork work, String contactId) {
        String policy = settings.dealLinksPolicy();
        if (policy.equals("deal") || policy.equals("deal-then-account")) {
            count(work);
            List<ObjectNode> deals = tenants.zoho(work.getTenant()).related("Contacts", contactId, "Deals", List.of("Deal_Name", "Stage", "Modified_Time"));
            Optional<ObjectNode> open = deals.stream()
                    .filter(d -> Json.text(d, "id") != null)
                    .filter(d -> Json.text(d, "Stage") == null || !Json.text(d, "Stage").startsWith("Closed"))
                    .max(Comparator.comparing((ObjectNode d) -> modified(d)).thenComparing(d -> Json.text(d, "id")));
            if (open.isPresent()) {
                return Optional.of(new CallMapper.Link("Deals", Json.text(open.get(), "id")));
            }
        }
        if (policy.equals("account") || policy.equals("deal-then-account")) {
            count(work);
            Optional<ObjectNode> contact = tenants.zoho(work.getTenant()).get("Contacts", contactId);
            String account = contact.map(c -> Json.text(c, "Account_Name")).orElse(null);
            if (account != null) {
                return Optional.of(new CallMapper.Link("Accounts", account));
            }
        }
        return Optional.empty();
    }

    private static OffsetDateTime modified(ObjectNode d) {
        String t = Json.text(d, "Modified_Time");
        try {
            return t == null ? OffsetDateTime.MIN : OffsetDateTime.parse(t);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.MIN;
        }
    }

    private void count(SyncWork work) {
        work.countZohoRequest();
        meters.counter("scc_feature_zoho_requests_total", "feature", FEATURE).increment();
    }

    public long cacheSize() {
        return cache.estimatedSize();
    }
}
