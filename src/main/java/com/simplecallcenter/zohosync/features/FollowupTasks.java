package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import com.simplecallcenter.zohosync.sync.CallState;
import com.simplecallcenter.zohosync.sync.SyncFailures;
import com.simplecallcenter.zohosync.sync.SyncWork;
import com.simplecallcenter.zohosync.sync.SyncTenants;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoFieldLimits;
import com.simplecallcenter.zohosync.zoho.ZohoNotConnectedException;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import com.simplecallcenter.zohosync.zoho.ZohoRateLimitedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The optional route {@code followup-tasks}: one Zoho Task per call and kind (missed, callback, escalation). Zoho has
 * no upsert for Tasks, so the Call's discipline applies: our mapping {@code followup_task} is the truth, and only an
 * insert whose answer was lost is looked up, by COQL on the call-id field ({@code <callId>:<kind>} on a Task). A Task
 * is never updated once made: a person may have edited it. docs/optional-routes.md has the rules of each kind.
 */
public class FollowupTasks {

    public static final String FEATURE = "followup-tasks";

    public static final String MISSED = "missed";
    public static final String CALLBACK = "callback";
    public static final String ESCALATION = "escalation";

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final SyncTenants tenants;
    private final FollowupTaskRepository repository;
    private final FeatureSettings settings;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;

    public FollowupTasks(SyncTenants tenants, FollowupTaskRepository repository, FeatureSettings settings, ObjectMapper mapper,
                         MeterRegistry meters) {
        this.tenants = tenants;
        this.repository = repository;
        this.settings = settings;
        this.mapper = mapper;
        this.meters = meters;
    }

    /** What the call asks for; {@code time} is the requested callback time, when a tag gave one. */
    record Wanted(String kind, String time) {
    }

    /** Route step. */
    public void create(SyncWork work) {
        for (Wanted w : wanted(work.getState())) {
            ensure(work, w);
        }
    }

    List<Wanted> wanted(CallState s) {
        List<Wanted> out = new ArrayList<>();
        List<String> tags = s.call().tags() == null ? List.of() : s.call().tags();
        Optional<Wanted> callback = Optional.empty();
        boolean escalation = false;
        for (String tag : tags) {
            String t = tag.trim();
            String lower = t.toLowerCase(Locale.ROOT);
            String cb = settings.callbackTag().toLowerCase(Locale.ROOT);
            if (lower.equals(cb)) {
                callback = callback.isPresent() ? callback : Optional.of(new Wanted(CALLBACK, null));
            } else if (lower.startsWith(cb + ":")) {
                callback = Optional.of(new Wanted(CALLBACK, t.substring(cb.length() + 1).trim()));
            } else if (lower.equals(settings.escalationTag().toLowerCase(Locale.ROOT))) {
                escalation = true;
            }
        }
        if (s.call().callbackAt() != null) {
            // the event's own field is the most precise request there is
            callback = Optional.of(new Wanted(CALLBACK, s.call().callbackAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        }
        if (callback.isPresent()) {
            out.add(callback.get());
        } else if (s.inbound() && !s.answered() && reachable(s)) {
            out.add(new Wanted(MISSED, null));
        }
        if (escalation) {
            out.add(new Wanted(ESCALATION, null));
        }
        return out;
    }

    /** A missed anonymous call without an email cannot be called back: no Task for it. */
    private static boolean reachable(CallState s) {
        String number = s.customerNumber();
        boolean hasNumber = number != null && !PhoneNumbers.ANONYMOUS.equals(number);
        return hasNumber || (s.call().caller() != null && s.call().caller().email() != null);
    }

    private void ensure(SyncWork work, Wanted w) {
        String callId = work.getCallId();
        Optional<FollowupTaskRepository.Row> row = repository.find(work.getTenant(), callId, w.kind());
        if (row.isPresent() && row.get().zohoTaskId() != null) {
            return;
        }
        if (w.kind().equals(MISSED) && repository.find(work.getTenant(), callId, CALLBACK).map(r -> r.zohoTaskId() != null).orElse(false)) {
            return;
        }
        if (row.isPresent() && row.get().insertStarted()) {
            Optional<String> found = lookUp(work, w.kind());
            if (found.isPresent()) {
                repository.storeTaskId(work.getTenant(), callId, w.kind(), found.get());
                return;
            }
        }
        ObjectNode task = task(work, w);
        repository.markInsertStarted(work.getTenant(), callId, w.kind());
        List<ZohoClient.RecordResult> results;
        try {
            count(work);
            results = tenants.zoho(work.getTenant()).insert("Tasks", List.of(task));
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            repository.clearInsertStarted(work.getTenant(), callId, w.kind());
            throw e;
        }
        ZohoClient.RecordResult r = SyncFailures.requireSuccess(results);
        repository.storeTaskId(work.getTenant(), callId, w.kind(), r.id());
        meters.counter("scc_followup_tasks_total", "kind", w.kind()).increment();
        LOG.info("follow-up task tenant={} call={} kind={} task={}", work.getTenant(), callId, w.kind(), r.id());
    }

    private Optional<String> lookUp(SyncWork work, String kind) {
        count(work);
        // call ids are [A-Za-z0-9._:-] (ingest validates them) and kinds are ours: safe inside a COQL literal
        List<ObjectNode> rows = tenants.zoho(work.getTenant()).coql("select id, Created_Time from Tasks where " + tenants.settings(work.getTenant()).callIdField() + " = '"
                + taskKey(work.getCallId(), kind) + "' limit 2");
        return rows.stream()
                .min(Comparator.comparing((ObjectNode r) -> String.valueOf(Json.text(r, "Created_Time")))
                        .thenComparing(r -> String.valueOf(Json.text(r, "id"))))
                .map(r -> Json.text(r, "id"));
    }

    /** The value of the call-id field on a Task: our call id and the kind. */
    static String taskKey(String callId, String kind) {
        return callId + ":" + kind;
    }

    ObjectNode task(SyncWork work, Wanted w) {
        CallState s = work.getState();
        CallEvent c = s.call();
        ObjectNode t = mapper.createObjectNode();
        String caller = callerName(work);
        String template = switch (w.kind()) {
            case CALLBACK -> settings.callbackSubject();
            case ESCALATION -> settings.escalationSubject();
            default -> settings.missedSubject();
        };
        t.put("Subject", ZohoFieldLimits.fit(render(template, work, caller), 255));
        t.put("Status", "Not Started");
        t.put("Priority", w.kind().equals(ESCALATION) ? "High" : settings.followupPriority());
        LocalDate due = businessDaysAfter(s.startTime().toLocalDate(), settings.followupDueBusinessDays());
        List<String> lines = new ArrayList<>();
        String when = s.startTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        lines.add((s.inbound() ? "Inbound" : "Outbound") + " call " + (s.answered() ? "" : "(not answered) ")
                + (s.inbound() ? "from " : "to ") + orUnknown(s.customerNumber()) + " at " + when + ".");
        if (w.kind().equals(CALLBACK) && w.time() != null) {
            Optional<OffsetDateTime> at = parseTime(w.time());
            Optional<LocalDate> day = at.map(OffsetDateTime::toLocalDate).or(() -> parseDate(w.time()));
            if (day.isPresent()) {
                due = day.get();
                lines.add("Callback requested for " + w.time() + ".");
            }
            at.ifPresent(time -> t.putObject("Remind_At").put("ALARM",
                    "FREQ=NONE;ACTION=POPUP;TRIGGER=DATE-TIME:" + time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        } else if (w.kind().equals(CALLBACK)) {
            lines.add("The caller asked to be called back.");
        }
        if (w.kind().equals(ESCALATION)) {
            lines.add("Tagged '" + settings.escalationTag() + "'.");
        }
        if (c.notes() != null && !c.notes().isBlank()) {
            lines.add(c.notes().trim());
        }
        lines.add("Call id: " + work.getCallId() + (work.getZohoCallId() == null ? "" : ", Call activity " + work.getZohoCallId()));
        t.put("Due_Date", due.toString());
        t.put("Description", ZohoFieldLimits.fit(String.join("\n", lines), 32_000));
        String owner = owner(work, w.kind());
        if (owner != null) {
            t.putObject("Owner").put("id", owner);
        }
        if (work.getLinkId() != null) {
            if (work.getLinkModule().equals("Contacts")) {
                t.putObject("Who_Id").put("id", work.getLinkId());
            } else {
                t.putObject("What_Id").put("id", work.getLinkId());
                t.put("$se_module", work.getLinkModule());
            }
        }
        t.put(tenants.settings(work.getTenant()).callIdField(), taskKey(work.getCallId(), w.kind()));
        return t;
    }

    private String owner(SyncWork work, String kind) {
        if (kind.equals(ESCALATION) && settings.escalationOwnerId().isPresent()) {
            return settings.escalationOwnerId().get();
        }
        return work.getOwnerId() != null ? work.getOwnerId() : settings.followupFallbackOwnerId().orElse(null);
    }

    /** {@code {caller}}: the caller's name (event, else the matched record), else the number. */
    private static String callerName(SyncWork work) {
        CallEvent.Caller c = work.getState().call().caller();
        String name = c == null ? "" : (blank(c.firstName()) + " " + blank(c.lastName())).trim();
        if (name.isEmpty() && work.getMatch() != null && work.getMatch().record() != null) {
            ObjectNode r = work.getMatch().record();
            name = (blank(Json.text(r, "First_Name")) + " " + blank(Json.text(r, "Last_Name"))).trim();
        }
        if (name.isEmpty()) {
            name = work.getState().customerNumber() != null ? work.getState().customerNumber()
                    : c != null && c.email() != null ? c.email() : "unknown caller";
        }
        return name;
    }

    private static String render(String template, SyncWork work, String caller) {
        CallEvent c = work.getState().call();
        return template.replace("{caller}", caller)
                .replace("{number}", orUnknown(work.getState().customerNumber()))
                .replace("{agent}", c.agent() != null && c.agent().name() != null ? c.agent().name() : "")
                .replace("{callId}", work.getCallId())
                .trim();
    }

    /** {@code days} working days (Monday to Friday) after {@code from}; 0 is {@code from} itself. */
    static LocalDate businessDaysAfter(LocalDate from, int days) {
        LocalDate d = from;
        int left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return d;
    }

    private static Optional<OffsetDateTime> parseTime(String s) {
        try {
            return Optional.of(OffsetDateTime.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> parseDate(String s) {
        try {
            return Optional.of(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void count(SyncWork work) {
        work.countZohoRequest();
        meters.counter("scc_feature_zoho_requests_total", "feature", FEATURE).increment();
    }

    private static String blank(String s) {
        return s == null ? "" : s.trim();
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }

}
