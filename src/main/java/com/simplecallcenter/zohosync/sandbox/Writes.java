package com.simplecallcenter.zohosync.sandbox;

import com.simplecallcenter.zohosync.sandbox.Schema.Field;
import com.simplecallcenter.zohosync.sandbox.Schema.Module;
import com.simplecallcenter.zohosync.sandbox.Schema.Type;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Insert, update, upsert and notes with Zoho's per-record validation: one error per failed record, items in input
 * order, 201/207/400 (insert) and 200/207/400 (update). Callers hold the sandbox lock.
 */
final class Writes {

    static final int MAX_RECORDS = 100;

    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    private static final Pattern MM_SS = Pattern.compile("(\\d{1,3}):([0-5]\\d)");
    private static final Pattern HH_MM_SS = Pattern.compile("(\\d{1,2}):([0-5]\\d):([0-5]\\d)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    record Result(int status, Map<String, Object> body) {
    }

    private final Store store;

    Writes(Store store) {
        this.store = store;
    }

    /** The records of a write body, or the top-level error Zoho answers for a malformed or oversized one. */
    static List<Map<String, Object>> records(Map<String, Object> body) {
        Object data = body.get("data");
        if (!(data instanceof List<?> list) || list.isEmpty()) {
            throw new ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found",
                    ZohoError.details("api_name", "data", "json_path", "$.data"));
        }
        if (list.size() > MAX_RECORDS) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "Maximum number of records allowed is 100",
                    ZohoError.details("limit", MAX_RECORDS));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw ZohoError.invalidData("invalid data", ZohoError.details("json_path", "$.data[" + i + "]"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) m;
            out.add(r);
        }
        return out;
    }

    Result insert(Module module, List<Map<String, Object>> data) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                Map<String, Object> created = create(module, data.get(i), i);
                items.add(success("record added", created, null, null));
            } catch (ZohoError e) {
                items.add(e.body());
            }
        }
        return result(items, 201);
    }

    /** Bulk ({@code pathId == null}: every item carries its id) or single-record update. */
    Result update(Module module, List<Map<String, Object>> data, String pathId) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                Object id = pathId != null ? pathId : data.get(i).get("id");
                if (id == null || id.toString().isBlank()) {
                    throw new ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found",
                            ZohoError.details("api_name", "id", "json_path", path(i, "id")));
                }
                Map<String, Object> existing = store.find(module.apiName(), id.toString());
                if (existing == null) {
                    throw ZohoError.invalidData("the id given seems to be invalid",
                            ZohoError.details("api_name", "id", "json_path", path(i, "id")));
                }
                Map<String, Object> updated = modify(module, existing, data.get(i), i);
                items.add(success("record updated", updated, null, null));
            } catch (ZohoError e) {
                items.add(e.body());
            }
        }
        return result(items, 200);
    }

    Result upsert(Module module, List<Map<String, Object>> data, List<String> duplicateCheckFields) {
        List<String> order = new ArrayList<>();
        if (duplicateCheckFields != null && !duplicateCheckFields.isEmpty()) {
            for (String f : duplicateCheckFields) {
                boolean allowed = module.duplicateCheckFields().contains(f)
                        || store.uniqueFields(module.apiName()).contains(f);
                if (!allowed) {
                    throw ZohoError.invalidData("the field is not a unique field",
                            ZohoError.details("api_name", f, "json_path", "$.duplicate_check_fields"));
                }
                order.add(f);
            }
        } else {
            order.addAll(module.duplicateCheckFields());
            order.addAll(store.uniqueFields(module.apiName()));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        boolean anyInsert = false;
        for (int i = 0; i < data.size(); i++) {
            try {
                Map<String, Object> input = data.get(i);
                Map<String, Object> match = null;
                String matchedBy = null;
                for (String f : order) {
                    Object v = input.get(f);
                    if (v == null || v.toString().isBlank()) {
                        continue;
                    }
                    match = store.all(module.apiName()).stream().filter(r -> same(r.get(f), v)).findFirst().orElse(null);
                    if (match != null) {
                        matchedBy = f;
                        break;
                    }
                }
                if (match == null) {
                    anyInsert = true;
                    items.add(success("record added", create(module, input, i), "insert", null));
                } else {
                    items.add(success("record updated", modify(module, match, input, i), "update", matchedBy));
                }
            } catch (ZohoError e) {
                items.add(e.body());
            }
        }
        return result(items, anyInsert ? 201 : 200);
    }

    // ---- one record

    Map<String, Object> create(Module module, Map<String, Object> input, int index) {
        Map<String, Object> changes = validate(module, null, input, index);
        Map<String, Object> r = new LinkedHashMap<>();
        String now = store.now();
        Map<String, Object> by = Store.byRef(store.currentUser());
        r.put("id", store.newId());
        r.put("Owner", Store.ownerRef(store.currentUser()));
        changes.forEach((k, v) -> {
            if (v != null) {
                r.put(k, v);
            }
        });
        r.put("Created_Time", now);
        r.put("Modified_Time", now);
        r.put("Created_By", by);
        r.put("Modified_By", Json.copy(by));
        derive(module, r);
        store.put(module.apiName(), r, true);
        return r;
    }

    private Map<String, Object> modify(Module module, Map<String, Object> existing, Map<String, Object> input,
                                       int index) {
        Map<String, Object> changes = validate(module, existing, input, index);
        changes.forEach((k, v) -> {
            if (v == null) {
                existing.remove(k);
            } else {
                existing.put(k, v);
            }
        });
        existing.put("Modified_Time", store.now());
        existing.put("Modified_By", Store.byRef(store.currentUser()));
        derive(module, existing);
        store.touched((String) existing.get("id"));
        return existing;
    }

    /** Records written without validation (test seeds): Owner defaults to the current user, lookups get names. */
    Map<String, Object> seed(Module module, Map<String, Object> fields) {
        Map<String, Object> r = new LinkedHashMap<>();
        String now = store.now();
        r.put("id", store.newId());
        r.put("Owner", Store.ownerRef(store.currentUser()));
        fields.forEach((k, v) -> {
            if (!"id".equals(k)) {
                r.put(k, Json.copy(v));
            }
        });
        Object owner = r.get("Owner");
        if (owner instanceof Map<?, ?> o && o.get("id") != null && store.user(o.get("id").toString()) != null) {
            r.put("Owner", Store.ownerRef(store.user(o.get("id").toString())));
        }
        for (Field f : module.fields().values()) {
            if (f.type() == Type.LOOKUP && r.get(f.apiName()) instanceof Map<?, ?> ref && ref.get("id") != null) {
                String target = f.lookupModule() != null ? f.lookupModule() : (String) r.get("$se_module");
                Map<String, Object> t = target == null ? null : store.find(target, ref.get("id").toString());
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", ref.get("id").toString());
                v.put("name", t == null ? null : Store.displayName(target, t));
                r.put(f.apiName(), v);
            }
        }
        r.putIfAbsent("Created_Time", now);
        r.putIfAbsent("Modified_Time", now);
        r.putIfAbsent("Created_By", Store.byRef(store.currentUser()));
        r.putIfAbsent("Modified_By", Store.byRef(store.currentUser()));
        derive(module, r);
        store.put(module.apiName(), r, false);
        return r;
    }

    private static void derive(Module module, Map<String, Object> r) {
        if (module.field("Full_Name") != null) {
            String first = r.get("First_Name") == null ? "" : r.get("First_Name").toString();
            String last = r.get("Last_Name") == null ? "" : r.get("Last_Name").toString();
            r.put("Full_Name", (first + " " + last).trim());
        }
        if ("Calls".equals(module.apiName()) && r.get("Call_Duration") instanceof String d) {
            Integer s = seconds(d);
            if (s != null) {
                r.put("Call_Duration_in_seconds", s);
            }
        }
    }

    /**
     * Checks one input record against the existing one (null on insert) and returns the normalised changes
     * (null value = clear the field). Throws the record's first error.
     */
    private Map<String, Object> validate(Module module, Map<String, Object> existing, Map<String, Object> input,
                                         int index) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : input.entrySet()) {
            Field f = module.field(e.getKey());
            if (f == null || f.readOnly()) {
                continue; // unknown and system fields are ignored, as Zoho does
            }
            changes.put(f.apiName(), e.getValue() == null ? null : value(f, e.getValue(), index));
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (existing != null) {
            merged.putAll(existing);
        }
        merged.putAll(changes);

        for (Field f : module.fields().values()) {
            if (!f.mandatory() || !blank(merged.get(f.apiName()))) {
                continue;
            }
            if ("Call_Duration".equals(f.apiName()) && "Scheduled".equals(merged.get("Outgoing_Call_Status"))) {
                continue;
            }
            throw mandatory(f.apiName(), index);
        }
        polymorphic(changes, merged, index);
        if ("Calls".equals(module.apiName())) {
            Object type = merged.get("Call_Type");
            Object duration = merged.get("Call_Duration");
            if (("Inbound".equals(type) || "Outbound".equals(type)) && duration instanceof String d
                    && Integer.valueOf(0).equals(seconds(d))) {
                throw new ZohoError(400, "DEPENDENT_MISMATCH", "Call Duration can not be zero", ZohoError.details(
                        "api_name", "Call_Duration", "json_path", path(index, "Call_Duration"),
                        "dependee", ZohoError.details("api_name", "Call_Type")));
            }
        }
        String selfId = existing == null ? null : (String) existing.get("id");
        for (String u : store.uniqueFields(module.apiName())) {
            Object v = merged.get(u);
            if (blank(v) || !changes.containsKey(u)) {
                continue;
            }
            for (Map<String, Object> other : store.all(module.apiName())) {
                if (!other.get("id").equals(selfId) && same(other.get(u), v)) {
                    Map<String, Object> dup = new LinkedHashMap<>();
                    dup.put("id", other.get("id"));
                    dup.put("Owner", Json.copy(other.get("Owner")));
                    dup.put("module", ZohoError.details("api_name", module.apiName(), "id", "5725767000000002175"));
                    throw new ZohoError(400, "DUPLICATE_DATA", "duplicate data", ZohoError.details(
                            "api_name", u, "json_path", path(index, u), "duplicate_record", dup,
                            "more_records", false));
                }
            }
        }
        return changes;
    }

    /** What_Id needs $se_module naming the module the id lives in, as in Zoho. */
    private void polymorphic(Map<String, Object> changes, Map<String, Object> merged, int index) {
        if (!changes.containsKey("What_Id") || changes.get("What_Id") == null) {
            return;
        }
        Object se = changes.get("$se_module");
        if (blank(se)) {
            throw mandatory("$se_module", index);
        }
        Module target = Schema.module(se.toString());
        if (target == null || "Contacts".equals(target.apiName()) || "Notes".equals(target.apiName())) {
            throw ZohoError.invalidData("invalid data", ZohoError.details("api_name", "$se_module",
                    "json_path", path(index, "$se_module"), "expected_data_type", "module"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> ref = (Map<String, Object>) changes.get("What_Id");
        Map<String, Object> t = store.find(target.apiName(), (String) ref.get("id"));
        if (t == null) {
            throw ZohoError.invalidData("the related id given seems to be invalid", ZohoError.details(
                    "api_name", "What_Id", "json_path", path(index, "What_Id"), "expected_data_type", "lookup"));
        }
        ref.put("name", Store.displayName(target.apiName(), t));
        changes.put("$se_module", target.apiName());
        merged.put("$se_module", target.apiName());
    }

    /** Type check and normalisation of one non-null value. */
    private Object value(Field f, Object v, int index) {
        String api = f.apiName();
        switch (f.type()) {
            case TEXT, TEXTAREA, EMAIL, PHONE, WEBSITE, PICKLIST, SE_MODULE -> {
                if (v instanceof Map || v instanceof List) {
                    throw typeError(f, index);
                }
                String s = v.toString();
                if (f.length() > 0 && s.length() > f.length()) {
                    throw ZohoError.invalidData("invalid data", ZohoError.details("api_name", api,
                            "json_path", path(index, api), "maximum_length", f.length()));
                }
                if (f.type() == Type.EMAIL && !s.isEmpty() && !EMAIL.matcher(s).matches()) {
                    throw typeError(f, index);
                }
                if (f.restricted() && !f.picklist().contains(s)) {
                    throw ZohoError.invalidData("invalid data", ZohoError.details("api_name", api,
                            "json_path", path(index, api), "expected_data_type", "picklist",
                            "supported_values", f.picklist()));
                }
                if ("Call_Duration".equals(api) && seconds(s) == null) {
                    throw ZohoError.invalidData("invalid data", ZohoError.details("api_name", api,
                            "json_path", path(index, api), "expected_data_type", "text",
                            "info", "Call_Duration must be mm:ss or hh:mm:ss"));
                }
                return s;
            }
            case DATETIME -> {
                if (!(v instanceof String s) || !DATE_TIME.matcher(s).matches() || !parses(s, true)) {
                    throw typeError(f, index);
                }
                return s;
            }
            case DATE -> {
                if (!(v instanceof String s) || !s.matches("\\d{4}-\\d{2}-\\d{2}") || !parses(s, false)) {
                    throw typeError(f, index);
                }
                return s;
            }
            case INTEGER -> {
                if (v instanceof Integer || v instanceof Long) {
                    return v;
                }
                if (v instanceof String s && s.matches("-?\\d{1,18}")) {
                    return Long.parseLong(s);
                }
                throw typeError(f, index);
            }
            case CURRENCY -> {
                if (v instanceof Number) {
                    return v;
                }
                throw typeError(f, index);
            }
            case BOOLEAN -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw typeError(f, index);
            }
            case JSON -> {
                if ("Parent_Id".equals(api)) {
                    return parent(v, index);
                }
                return Json.copy(v);
            }
            case OWNER -> {
                String id = refId(v);
                Store.User u = id == null ? null : store.user(id);
                if (u == null || !u.active()) {
                    throw typeError(f, index);
                }
                return Store.ownerRef(u);
            }
            case LOOKUP -> {
                String id = refId(v);
                if (id == null) {
                    throw typeError(f, index);
                }
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("id", id);
                if (f.lookupModule() != null) {
                    Map<String, Object> t = store.find(f.lookupModule(), id);
                    if (t == null) {
                        throw ZohoError.invalidData("the related id given seems to be invalid", ZohoError.details(
                                "api_name", api, "json_path", path(index, api), "expected_data_type", "lookup"));
                    }
                    ref.put("name", Store.displayName(f.lookupModule(), t));
                }
                return ref;
            }
            default -> throw new IllegalStateException(f.type().name());
        }
    }

    private Map<String, Object> parent(Object v, int index) {
        String id = refId(v);
        Object mod = v instanceof Map<?, ?> m && m.get("module") instanceof Map<?, ?> mm ? mm.get("api_name") : null;
        Module parent = mod == null ? null : Schema.module(mod.toString());
        Map<String, Object> t = parent == null || id == null ? null : store.find(parent.apiName(), id);
        if (t == null) {
            throw ZohoError.invalidData("the related id given seems to be invalid", ZohoError.details(
                    "api_name", "Parent_Id", "json_path", path(index, "Parent_Id"), "expected_data_type", "lookup"));
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("module", ZohoError.details("api_name", parent.apiName()));
        ref.put("id", id);
        ref.put("name", Store.displayName(parent.apiName(), t));
        return ref;
    }

    private static String refId(Object v) {
        if (v instanceof Map<?, ?> m && m.get("id") != null) {
            String id = m.get("id").toString();
            return id.matches("\\d{1,19}") ? id : null;
        }
        return null;
    }

    /** Call_Duration in seconds ("mm:ss" or "hh:mm:ss"); null when it is neither. */
    static Integer seconds(String d) {
        Matcher m = MM_SS.matcher(d);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
        }
        m = HH_MM_SS.matcher(d);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                    + Integer.parseInt(m.group(3));
        }
        return null;
    }

    private static boolean parses(String s, boolean dateTime) {
        try {
            if (dateTime) {
                OffsetDateTime.parse(s);
            } else {
                LocalDate.parse(s);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ZohoError typeError(Field f, int index) {
        return ZohoError.invalidData("invalid data", ZohoError.details("api_name", f.apiName(),
                "json_path", path(index, f.apiName()), "expected_data_type", f.type().zohoName));
    }

    private static ZohoError mandatory(String api, int index) {
        return new ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found",
                ZohoError.details("api_name", api, "json_path", path(index, api)));
    }

    static String path(int index, String api) {
        return "$.data[" + index + "]." + api;
    }

    static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }

    private static boolean same(Object stored, Object candidate) {
        if (stored == null || candidate == null) {
            return false;
        }
        return stored.toString().trim().toLowerCase(Locale.ROOT).equals(candidate.toString().trim().toLowerCase(Locale.ROOT));
    }

    private static Map<String, Object> success(String message, Map<String, Object> r, String action,
                                               String duplicateField) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("Modified_Time", r.get("Modified_Time"));
        details.put("Modified_By", Json.copy(r.get("Modified_By")));
        details.put("Created_Time", r.get("Created_Time"));
        details.put("id", r.get("id"));
        details.put("Created_By", Json.copy(r.get("Created_By")));
        details.put("$approval_state", "approved");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", "SUCCESS");
        item.put("duplicate_field", duplicateField);
        if (action != null) {
            item.put("action", action);
        } else {
            item.remove("duplicate_field");
        }
        item.put("details", details);
        item.put("message", message);
        item.put("status", "success");
        return item;
    }

    private static Result result(List<Map<String, Object>> items, int allOk) {
        long ok = items.stream().filter(i -> "success".equals(i.get("status"))).count();
        int status = ok == items.size() ? allOk : ok == 0 ? 400 : 207;
        return new Result(status, Map.of("data", items));
    }
}
