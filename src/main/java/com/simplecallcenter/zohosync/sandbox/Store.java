package com.simplecallcenter.zohosync.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRM org's data: users and records per module. Not thread-safe on its own; the sandbox guards every use with
 * one lock, which is plenty for a test emulator and keeps multi-record writes atomic.
 */
final class Store {

    static final DateTimeFormatter ZOHO_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    /** Ids look like Zoho's: 19-digit decimal strings, increasing (also across {@link #clear()}). */
    private long lastId = 5725767000000411000L;

    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, LinkedHashMap<String, Map<String, Object>>> records = new HashMap<>();
    /** When each record was last written through the API: search does not see it before the index delay passes. */
    private final Map<String, Instant> writtenAt = new HashMap<>();
    private final LinkedHashMap<String, User> users = new LinkedHashMap<>();
    private final Map<String, Set<String>> uniqueFields = new HashMap<>();

    record User(String id, String email, String fullName, String firstName, String lastName, String status,
                boolean admin, String zuid) {

        boolean active() {
            return "active".equalsIgnoreCase(status);
        }
    }

    Store(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    Clock clock() {
        return clock;
    }

    ZoneId zone() {
        return zone;
    }

    void clear() {
        records.clear();
        writtenAt.clear();
        users.clear();
        uniqueFields.clear();
    }

    String newId() {
        return Long.toString(++lastId);
    }

    String now() {
        return format(clock.instant());
    }

    String format(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), zone).format(ZOHO_DATE_TIME);
    }

    // ---- users

    User addUser(String email, String fullName, String status) {
        String name = fullName == null || fullName.isBlank() ? email : fullName.trim();
        int sp = name.lastIndexOf(' ');
        String first = sp > 0 ? name.substring(0, sp) : "";
        String last = sp > 0 ? name.substring(sp + 1) : name;
        String id = newId();
        User u = new User(id, email, name, first, last, status == null ? "active" : status, users.isEmpty(),
                Long.toString(700000000L + users.size()));
        users.put(id, u);
        return u;
    }

    /** The first user added is the one who consented; with none yet, a default admin appears so writes have an owner. */
    User currentUser() {
        if (users.isEmpty()) {
            addUser("sandbox.admin@example.com", "Sandbox Admin", "active");
        }
        return users.values().iterator().next();
    }

    User user(String id) {
        return users.get(id);
    }

    List<User> users() {
        return new ArrayList<>(users.values());
    }

    Map<String, Object> userJson(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("email", u.email());
        m.put("full_name", u.fullName());
        m.put("first_name", u.firstName());
        m.put("last_name", u.lastName());
        m.put("status", u.status());
        m.put("confirm", !"deleted".equalsIgnoreCase(u.status()));
        m.put("role", u.admin() ? Map.of("name", "CEO", "id", "5725767000000026005")
                : Map.of("name", "Manager", "id", "5725767000000026008"));
        m.put("profile", u.admin() ? Map.of("name", "Administrator", "id", "5725767000000026011")
                : Map.of("name", "Standard", "id", "5725767000000026014"));
        m.put("time_zone", zone.getId());
        m.put("zuid", u.zuid());
        return m;
    }

    static Map<String, Object> ownerRef(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("name", u.fullName());
        m.put("email", u.email());
        return m;
    }

    static Map<String, Object> byRef(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("name", u.fullName());
        return m;
    }

    // ---- records

    Map<String, Object> find(String module, String id) {
        LinkedHashMap<String, Map<String, Object>> m = records.get(module);
        return m == null || id == null ? null : m.get(id);
    }

    /** Live maps, oldest (= smallest id) first. */
    List<Map<String, Object>> all(String module) {
        LinkedHashMap<String, Map<String, Object>> m = records.get(module);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    void put(String module, Map<String, Object> record, boolean viaApi) {
        String id = (String) record.get("id");
        records.computeIfAbsent(module, k -> new LinkedHashMap<>()).put(id, record);
        writtenAt.put(id, viaApi ? clock.instant() : Instant.EPOCH);
    }

    boolean remove(String module, String id) {
        LinkedHashMap<String, Map<String, Object>> m = records.get(module);
        return m != null && m.remove(id) != null;
    }

    void touched(String id) {
        writtenAt.put(id, clock.instant());
    }

    Instant writtenAt(String id) {
        return writtenAt.getOrDefault(id, Instant.EPOCH);
    }

    /** The lookup display name Zoho puts beside an id. */
    static String displayName(String module, Map<String, Object> r) {
        Object v = switch (module) {
            case "Leads", "Contacts" -> r.get("Full_Name");
            case "Accounts" -> r.get("Account_Name");
            case "Deals" -> r.get("Deal_Name");
            case "Notes" -> r.get("Note_Title");
            default -> r.get("Subject");
        };
        return v == null ? null : v.toString();
    }

    void markUnique(String module, String field) {
        uniqueFields.computeIfAbsent(module, k -> new LinkedHashSet<>()).add(field);
    }

    Set<String> uniqueFields(String module) {
        return uniqueFields.getOrDefault(module, Set.of());
    }
}
