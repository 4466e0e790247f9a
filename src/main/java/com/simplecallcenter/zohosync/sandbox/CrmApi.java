package com.simplecallcenter.zohosync.sandbox;

import com.simplecallcenter.zohosync.sandbox.Schema.Field;
import com.simplecallcenter.zohosync.sandbox.Schema.Module;
import com.simplecallcenter.zohosync.sandbox.Schema.Type;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@code /crm/v8} routes: users, records (get, list, related, insert, update, upsert, notes), search, COQL and
 * field metadata. Scopes are checked per endpoint and module, as Zoho does (a missing one is 401
 * OAUTH_SCOPE_MISMATCH); credits are spent per call.
 */
final class CrmApi {

    static final String PREFIX = "/crm/v8/";
    static final int MAX_PER_PAGE = 200;
    static final int MAX_REACHABLE = 2000;

    /** An answer: {@code body == null} means an empty body (204). */
    record Reply(int status, Object body) {
    }

    private static final Set<String> USER_TYPES = Set.of("AllUsers", "ActiveUsers", "DeactiveUsers", "ConfirmedUsers",
            "NotConfirmedUsers", "DeletedUsers", "ActiveConfirmedUsers", "AdminUsers", "ActiveConfirmedAdmins",
            "CurrentUser");

    private final Object lock;
    private final Store store;
    private final Writes writes;
    private final Limits limits;
    private final Supplier<Duration> searchIndexDelay;

    CrmApi(Object lock, Store store, Writes writes, Limits limits, Supplier<Duration> searchIndexDelay) {
        this.lock = lock;
        this.store = store;
        this.writes = writes;
        this.limits = limits;
        this.searchIndexDelay = searchIndexDelay;
    }

    static boolean isWrite(String method, String path) {
        return !method.equals("GET") && !path.startsWith(PREFIX + "coql");
    }

    Reply handle(String method, String path, Map<String, String> q, String body, List<String> scopes) {
        List<String> seg = Arrays.stream(path.substring(PREFIX.length()).split("/")).filter(s -> !s.isEmpty()).toList();
        if (seg.isEmpty()) {
            throw notFound();
        }
        String first = seg.get(0);
        if (first.equals("users")) {
            requireMethod(method, "GET");
            need(scopes, "ZohoCRM.users.READ");
            spend(1);
            return seg.size() == 1 ? users(q) : seg.size() == 2 ? user(seg.get(1)) : fail(notFound());
        }
        if (first.equals("coql") && seg.size() == 1) {
            requireMethod(method, "POST");
            return coql(body, scopes);
        }
        if (first.equals("settings")) {
            if (seg.size() == 2 && seg.get(1).equals("fields")) {
                requireMethod(method, "GET");
                need(scopes, "ZohoCRM.settings.fields.READ");
                spend(1);
                return fields(q);
            }
            throw notFound();
        }
        Module module = Schema.module(first);
        if (module == null) {
            throw new ZohoError(400, "INVALID_MODULE", "the module name given seems to be invalid",
                    ZohoError.details("resource_path_index", 0));
        }
        if (seg.size() == 1) {
            return switch (method) {
                case "GET" -> {
                    need(scopes, moduleScope(module, "READ"));
                    spend(1);
                    yield list(module, q);
                }
                case "POST" -> {
                    need(scopes, moduleScope(module, "CREATE"));
                    yield write(body, data -> writes.insert(module, data));
                }
                case "PUT" -> {
                    need(scopes, moduleScope(module, "UPDATE"));
                    yield write(body, data -> writes.update(module, data, null));
                }
                case "DELETE" -> {
                    need(scopes, moduleScope(module, "DELETE"));
                    yield delete(module, q.get("ids"));
                }
                default -> throw badMethod();
            };
        }
        String second = seg.get(1);
        if (seg.size() == 2 && second.equals("search")) {
            requireMethod(method, "GET");
            return search(module, q, scopes);
        }
        if (seg.size() == 2 && second.equals("upsert")) {
            requireMethod(method, "POST");
            if (!module.upsertable()) {
                throw new ZohoError(400, "NOT_SUPPORTED", "the module is not supported for upsert",
                        ZohoError.details("module", module.apiName()));
            }
            need(scopes, moduleScope(module, "CREATE"), moduleScope(module, "UPDATE"));
            Map<String, Object> json = Json.object(body);
            List<String> dup = json.get("duplicate_check_fields") instanceof List<?> l
                    ? l.stream().map(String::valueOf).toList() : null;
            return write(body, data -> writes.upsert(module, data, dup));
        }
        if (!second.matches("\\d{1,19}")) {
            throw notFound();
        }
        if (seg.size() == 2) {
            return switch (method) {
                case "GET" -> {
                    need(scopes, moduleScope(module, "READ"));
                    spend(1);
                    yield get(module, second, q);
                }
                case "PUT" -> {
                    need(scopes, moduleScope(module, "UPDATE"));
                    yield write(body, data -> writes.update(module, data.subList(0, 1), second));
                }
                default -> throw badMethod();
            };
        }
        if (seg.size() == 3) {
            Module related = Schema.module(seg.get(2));
            if (related == null) {
                throw notFound();
            }
            if (method.equals("POST") && related.apiName().equals("Notes")) {
                need(scopes, "ZohoCRM.modules.notes.CREATE");
                return write(body, data -> {
                    for (Map<String, Object> r : data) {
                        r.put("Parent_Id", Map.of("module", Map.of("api_name", module.apiName()), "id", second));
                    }
                    return writes.insert(related, data);
                });
            }
            requireMethod(method, "GET");
            need(scopes, moduleScope(module, "READ"), moduleScope(related, "READ"));
            spend(1);
            return related(module, second, related, q);
        }
        throw notFound();
    }

    /**
     * {@code DELETE /{module}?ids=a,b} (≤ 100 ids): each record to the recycle bin; per id a success item, or an
     * INVALID_DATA item for an id the module does not hold, in input order (200 all deleted, else 207/400 as writes).
     */
    private Reply delete(Module module, String ids) {
        if (ids == null || ids.isBlank()) {
            throw new ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                    ZohoError.details("param", "ids"));
        }
        List<String> list = Arrays.stream(ids.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        if (list.size() > 100) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "limit exceeded", ZohoError.details("limit", 100));
        }
        spend(Math.max(1, (list.size() + 9) / 10));
        List<Map<String, Object>> data = new ArrayList<>();
        int ok = 0;
        synchronized (lock) {
            for (String id : list) {
                if (store.remove(module.apiName(), id)) {
                    ok++;
                    data.add(Map.of("code", "SUCCESS", "details", Map.of("id", id), "message", "record deleted", "status", "success"));
                } else {
                    data.add(Map.of("code", "INVALID_DATA", "details", Map.of("id", id), "message", "the id given seems to be invalid",
                            "status", "error"));
                }
            }
        }
        return new Reply(ok == list.size() ? 200 : ok == 0 ? 400 : 207, Map.of("data", data));
    }

    // ---- reads

    private Reply users(Map<String, String> q) {
        String type = q.getOrDefault("type", "AllUsers");
        if (!USER_TYPES.contains(type)) {
            throw ZohoError.invalidData("invalid data", ZohoError.details("param_name", "type",
                    "supported_values", USER_TYPES.stream().sorted().toList()));
        }
        Set<String> ids = q.containsKey("ids") ? Set.of(q.get("ids").split(",")) : null;
        List<Map<String, Object>> users = new ArrayList<>();
        synchronized (lock) {
            Store.User current = store.currentUser();
            for (Store.User u : store.users()) {
                String s = u.status().toLowerCase();
                boolean deleted = s.equals("deleted");
                boolean keep = switch (type) {
                    case "ActiveUsers" -> u.active();
                    case "DeactiveUsers" -> !u.active() && !deleted;
                    case "DeletedUsers" -> deleted;
                    case "NotConfirmedUsers" -> false;
                    case "ConfirmedUsers" -> !deleted;
                    case "ActiveConfirmedUsers" -> u.active();
                    case "AdminUsers" -> u.admin() && !deleted;
                    case "ActiveConfirmedAdmins" -> u.admin() && u.active();
                    case "CurrentUser" -> u.id().equals(current.id());
                    default -> !deleted;
                };
                if (keep && (ids == null || ids.contains(u.id()))) {
                    users.add(store.userJson(u));
                }
            }
        }
        return page("users", users, q, null);
    }

    private Reply user(String id) {
        synchronized (lock) {
            Store.User u = store.user(id);
            return u == null ? new Reply(204, null) : new Reply(200, Map.of("users", List.of(store.userJson(u))));
        }
    }

    private Reply get(Module module, String id, Map<String, String> q) {
        synchronized (lock) {
            Map<String, Object> r = store.find(module.apiName(), id);
            if (r == null) {
                return new Reply(204, null);
            }
            return new Reply(200, Map.of("data", List.of(project(r, fieldsParam(q, false)))));
        }
    }

    private Reply list(Module module, Map<String, String> q) {
        List<String> fields = fieldsParam(q, true);
        List<Map<String, Object>> rows = new ArrayList<>();
        synchronized (lock) {
            for (Map<String, Object> r : store.all(module.apiName())) {
                rows.add(project(r, fields));
            }
        }
        return page("data", rows, q, fields);
    }

    private Reply related(Module parent, String id, Module related, Map<String, String> q) {
        List<String> fields = fieldsParam(q, true);
        List<Map<String, Object>> rows = new ArrayList<>();
        synchronized (lock) {
            if (store.find(parent.apiName(), id) == null) {
                return new Reply(204, null);
            }
            for (Map<String, Object> r : store.all(related.apiName())) {
                if (pointsTo(related, r, parent.apiName(), id)) {
                    rows.add(project(r, fields));
                }
            }
        }
        return page("data", rows, q, fields);
    }

    private static boolean pointsTo(Module related, Map<String, Object> r, String parentModule, String id) {
        for (Field f : related.fields().values()) {
            if (!(r.get(f.apiName()) instanceof Map<?, ?> ref) || !id.equals(String.valueOf(ref.get("id")))) {
                continue;
            }
            if (f.type() == Type.LOOKUP && (parentModule.equals(f.lookupModule())
                    || (f.lookupModule() == null && parentModule.equals(r.get("$se_module"))))) {
                return true;
            }
            if (f.apiName().equals("Parent_Id") && ref.get("module") instanceof Map<?, ?> m
                    && parentModule.equals(m.get("api_name"))) {
                return true;
            }
        }
        return false;
    }

    private Reply search(Module module, Map<String, String> q, List<String> scopes) {
        if (!module.searchable()) {
            throw new ZohoError(400, "NOT_SUPPORTED", "the module is not supported for search",
                    ZohoError.details("module", module.apiName()));
        }
        need(scopes, moduleScope(module, "READ"), "ZohoSearch.securesearch.READ");
        Predicate<Map<String, Object>> match;
        if (present(q, "criteria")) {
            match = SearchCriteria.parse(q.get("criteria"), module);
        } else if (present(q, "email")) {
            match = anyField(module, Set.of(Type.EMAIL), q.get("email"));
        } else if (present(q, "phone")) {
            match = anyField(module, Set.of(Type.PHONE), q.get("phone"));
        } else if (present(q, "word")) {
            match = anyField(module, Set.of(Type.TEXT, Type.TEXTAREA, Type.EMAIL, Type.PHONE, Type.WEBSITE,
                    Type.PICKLIST), q.get("word"));
        } else {
            throw new ZohoError(400, "EXPECTED_PARAM_MISSING", "One of the expected parameter is missing",
                    ZohoError.details("expected_params", List.of("criteria", "email", "phone", "word")));
        }
        spend(1);
        List<String> fields = fieldsParam(q, false);
        List<Map<String, Object>> rows = new ArrayList<>();
        synchronized (lock) {
            Duration delay = searchIndexDelay.get();
            Instant visibleBefore = store.clock().instant().minus(delay);
            for (Map<String, Object> r : store.all(module.apiName())) {
                boolean indexed = delay.isZero() || !store.writtenAt((String) r.get("id")).isAfter(visibleBefore);
                if (indexed && match.test(r)) {
                    rows.add(project(r, fields));
                }
            }
        }
        return page("data", rows, q, null);
    }

    private static Predicate<Map<String, Object>> anyField(Module module, Set<Type> types, String value) {
        SearchCriteria.checkLength(value);
        List<String> names = module.fields().values().stream()
                .filter(f -> types.contains(f.type()) && !f.apiName().equals("id")).map(Field::apiName).toList();
        return r -> names.stream().anyMatch(n -> SearchCriteria.contains(r.get(n), value));
    }

    private Reply coql(String body, List<String> scopes) {
        Object sq = Json.object(body).get("select_query");
        if (!(sq instanceof String query)) {
            throw new ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                    ZohoError.details("param_name", "select_query"));
        }
        Coql.Query parsed = Coql.parse(query);
        need(scopes, "ZohoCRM.coql.READ", moduleScope(parsed.module(), "READ"));
        spend(parsed.credits());
        int[] total = new int[1];
        List<Map<String, Object>> rows;
        synchronized (lock) {
            List<Coql.Row> all = store.all(parsed.module().apiName()).stream()
                    .map(r -> new Coql.Row(r, c -> resolve(parsed.module(), r, c))).toList();
            rows = Coql.run(parsed, all, total);
        }
        if (rows.isEmpty()) {
            return new Reply(204, null);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("count", rows.size());
        info.put("more_records", total[0] > parsed.offset() + rows.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", rows);
        out.put("info", info);
        return new Reply(200, out);
    }

    /** A column's value, following one lookup for dotted columns. Called under the lock. */
    private Object resolve(Module module, Map<String, Object> r, String column) {
        int dot = column.indexOf('.');
        if (dot < 0) {
            return r.get(column);
        }
        Field base = module.field(column.substring(0, dot));
        String sub = column.substring(dot + 1);
        if (!(r.get(base.apiName()) instanceof Map<?, ?> ref) || ref.get("id") == null) {
            return null;
        }
        if (base.type() == Type.OWNER) {
            Store.User u = store.user(ref.get("id").toString());
            return u == null ? null : sub.equals("name") ? u.fullName() : store.userJson(u).get(sub);
        }
        Map<String, Object> target = store.find(base.lookupModule(), ref.get("id").toString());
        return target == null ? null : target.get(sub);
    }

    private Reply fields(Map<String, String> q) {
        if (!present(q, "module")) {
            throw new ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                    ZohoError.details("param_name", "module"));
        }
        Module module = Schema.module(q.get("module"));
        if (module == null) {
            throw new ZohoError(400, "INVALID_MODULE", "the module name given seems to be invalid",
                    ZohoError.details("param_name", "module"));
        }
        Set<String> unique;
        synchronized (lock) {
            unique = Set.copyOf(store.uniqueFields(module.apiName()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        long n = 5725767000000002000L;
        for (Field f : module.fields().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("api_name", f.apiName());
            m.put("field_label", f.label());
            m.put("display_label", f.label());
            m.put("id", Long.toString(n++));
            m.put("data_type", f.type().zohoName);
            m.put("json_type", switch (f.type()) {
                case LOOKUP, OWNER, JSON -> "jsonobject";
                case INTEGER, CURRENCY -> "integer";
                case BOOLEAN -> "boolean";
                default -> "string";
            });
            m.put("length", f.length());
            m.put("system_mandatory", f.mandatory());
            m.put("custom_field", f.custom());
            m.put("read_only", f.readOnly());
            m.put("pick_list_values", f.picklist().stream()
                    .map(v -> Map.of("display_value", v, "actual_value", v)).toList());
            m.put("unique", unique.contains(f.apiName()) ? Map.of("casesensitive", "0") : Map.of());
            m.put("external", null);
            if (f.type() == Type.LOOKUP) {
                m.put("lookup", f.lookupModule() == null ? Map.of()
                        : Map.of("module", Map.of("api_name", f.lookupModule())));
            }
            out.add(m);
        }
        return new Reply(200, Map.of("fields", out));
    }

    // ---- writes

    private interface WriteOp {
        Writes.Result apply(List<Map<String, Object>> data);
    }

    private Reply write(String body, WriteOp op) {
        List<Map<String, Object>> data = Writes.records(Json.object(body));
        spend(Math.max(1, (data.size() + 9) / 10));
        Writes.Result result;
        synchronized (lock) {
            result = op.apply(data);
        }
        return new Reply(result.status(), result.body());
    }

    /**
     * Heavy calls share Zoho's sub-concurrency pool (10 in every edition): search, COQL, and writes of more than 10
     * records. Decided before the request waits, so a slow heavy call holds its slot while it is slow.
     */
    static boolean isHeavy(String method, String path, String body) {
        if (path.endsWith("/search") || path.equals(PREFIX + "coql")) {
            return true;
        }
        if (method.equals("GET") || body == null || body.isEmpty()) {
            return false;
        }
        try {
            return Json.MAPPER.readTree(body).path("data").size() > 10;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- helpers

    private void spend(long credits) {
        if (!limits.spend(credits)) {
            throw ZohoError.of(429, "TOO_MANY_REQUESTS");
        }
    }

    private static Reply page(String key, List<Map<String, Object>> rows, Map<String, String> q, List<String> fields) {
        int perPage = intParam(q, "per_page", MAX_PER_PAGE);
        int page = intParam(q, "page", 1);
        if (perPage < 1 || perPage > MAX_PER_PAGE || page < 1) {
            throw ZohoError.invalidData("invalid data", ZohoError.details("param_name",
                    perPage < 1 || perPage > MAX_PER_PAGE ? "per_page" : "page", "maximum", MAX_PER_PAGE));
        }
        long from = (long) (page - 1) * perPage;
        if (from >= MAX_REACHABLE) {
            throw new ZohoError(400, "LIMIT_REACHED", "limit reached", ZohoError.details("limit", MAX_REACHABLE));
        }
        List<Map<String, Object>> slice = rows.stream().skip(from).limit(perPage).toList();
        if (slice.isEmpty()) {
            return new Reply(204, null);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("per_page", perPage);
        info.put("count", slice.size());
        info.put("page", page);
        if (fields != null) {
            info.put("sort_by", "id");
            info.put("sort_order", "desc".equalsIgnoreCase(q.get("sort_order")) ? "desc" : "asc");
            info.put("next_page_token", null);
            info.put("previous_page_token", null);
            info.put("page_token_expiry", null);
        }
        info.put("more_records", from + slice.size() < Math.min(rows.size(), MAX_REACHABLE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, slice);
        out.put("info", info);
        return new Reply(200, out);
    }

    private static List<String> fieldsParam(Map<String, String> q, boolean mandatory) {
        if (!present(q, "fields")) {
            if (mandatory) {
                throw new ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                        ZohoError.details("param_name", "fields"));
            }
            return null;
        }
        List<String> fields = Arrays.stream(q.get("fields").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        if (fields.size() > 50) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "fields limit exceeded", ZohoError.details("limit", 50));
        }
        return fields;
    }

    private static Map<String, Object> project(Map<String, Object> r, List<String> fields) {
        if (fields == null) {
            return Json.copyMap(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : fields) {
            if (r.containsKey(f)) {
                out.put(f, Json.copy(r.get(f)));
            }
        }
        out.put("id", r.get("id"));
        return out;
    }

    static String moduleScope(Module m, String op) {
        return "ZohoCRM.modules." + m.scopeName() + "." + op;
    }

    private static void need(List<String> granted, String... required) {
        List<String> missing = Accounts.missing(granted, List.of(required));
        if (!missing.isEmpty()) {
            throw new ZohoError(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL",
                    ZohoError.details("required_scopes", missing));
        }
    }

    private static boolean present(Map<String, String> q, String name) {
        return q.get(name) != null && !q.get(name).isEmpty();
    }

    private static int intParam(Map<String, String> q, String name, int dflt) {
        if (!present(q, name)) {
            return dflt;
        }
        try {
            return Integer.parseInt(q.get(name));
        } catch (NumberFormatException e) {
            throw ZohoError.invalidData("invalid data", ZohoError.details("param_name", name));
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw badMethod();
        }
    }

    private static ZohoError badMethod() {
        return new ZohoError(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one");
    }

    static ZohoError notFound() {
        return new ZohoError(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one");
    }

    private static Reply fail(ZohoError e) {
        throw e;
    }
}
