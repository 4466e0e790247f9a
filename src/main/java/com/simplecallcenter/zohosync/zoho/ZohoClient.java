package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The one way to Zoho CRM (bean {@code zohoClient}): {@code {api_domain}/crm/v8/...} with the shared access token,
 * at most {@code scc.zoho.max-concurrency} requests in flight (Zoho's concurrency limits are per org), every answer
 * classified by Zoho's status and error code into {@link ZohoRetryableException} (with {@link ZohoRateLimitedException},
 * {@link ZohoUnavailableException}, {@link ZohoOutcomeUnknownException}), {@link ZohoPermanentException} or
 * {@link ZohoNotConnectedException}. A 401 INVALID_TOKEN is answered once by a refresh and one retry. Nothing is
 * retried beyond that: redelivery is the routes' business. Counted in {@code scc_zoho_requests_total{verb,outcome}}.
 * Each request's credits are counted by Zoho's table ({@link ZohoCredits}); once the org's daily budget is spent, or
 * Zoho refuses for spent credits, requests fail with {@link ZohoCreditsExhaustedException} without being sent.
 */
public final class ZohoClient {

    public enum SearchBy {
        CRITERIA("criteria"), EMAIL("email"), PHONE("phone"), WORD("word");

        private final String param;

        SearchBy(String param) {
            this.param = param;
        }
    }

    /**
     * The outcome of one record of an insert or update, in input order. On success {@code id} is the record's id; for
     * {@code DUPLICATE_DATA} it is the id of the record that already holds the value. {@code field} is Zoho's
     * {@code details.api_name}.
     */
    public record RecordResult(int index, boolean success, String id, String code, String message, String field, JsonNode details) {

        /** Whether a later attempt of this record may succeed as it is (Zoho busy, record locked). */
        public boolean retryable() {
            return !success && code != null && ZohoErrors.RETRYABLE_CODES.contains(code);
        }

        /** This failed record as the exception a route would select on. */
        public ZohoException toException() {
            ObjectNode error = JsonNodeHolder.MAPPER.createObjectNode();
            error.put("code", code);
            error.put("message", message);
            if (details != null) {
                error.set("details", details);
            }
            return ZohoErrors.classify("record " + index, 400, error, true);
        }
    }

    private static final class JsonNodeHolder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final Pattern MODULE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");
    private static final Pattern RECORD_ID = Pattern.compile("[0-9]{1,19}");
    private static final int PER_PAGE = 200;
    /** Zoho stops paging search and list results at 2,000 records (10 pages of 200). */
    private static final int MAX_PAGES = 10;
    private static final int MAX_RECORDS_PER_WRITE = 100;

    private final ZohoHttp http;
    private final ZohoTokenManager tokens;
    private final ObjectMapper mapper;
    private final Permits permits;
    private int concurrency;
    private final Duration permitTimeout;
    private final Optional<List<String>> writeTriggers;
    private final MeterRegistry registry;
    private final String tenant;
    private final ZohoCredits credits;
    private final boolean useIdleSlots;

    /** {@code concurrency}: the org's budget of requests in flight from this instance (Zoho's limits are per org). */
    ZohoClient(ZohoHttp http, ZohoTokenManager tokens, ObjectMapper mapper, ZohoSettings settings, MeterRegistry registry,
               int concurrency, String tenant, ZohoCredits credits) {
        this.tenant = tenant;
        this.credits = credits;
        this.http = http;
        this.tokens = tokens;
        this.mapper = mapper;
        this.permits = new Permits(concurrency);
        this.useIdleSlots = settings.useIdleSlots();
        this.concurrency = concurrency;
        this.permitTimeout = settings.connectTimeout().plus(settings.readTimeout());
        this.writeTriggers = settings.writeTriggers();
        this.registry = registry;
    }

    /** The org's budget of requests in flight, changed by its admin: applied to requests that start from now on. */
    synchronized void concurrency(int n) {
        if (n > concurrency) {
            permits.release(n - concurrency);
        } else if (n < concurrency) {
            permits.shrink(concurrency - n);
        }
        concurrency = n;
    }

    synchronized int concurrency() {
        return concurrency;
    }

    /**
     * Request slots of the org free right now, none while anyone waits for one (or with {@code scc.zoho.use-idle-slots}
     * off): a hint, since the next request may find them taken, for work that can choose between using an idle slot
     * now (a write without waiting for company, a second module searched at once) and waiting to save a request.
     */
    public int idleSlots() {
        return !useIdleSlots || permits.hasQueuedThreads() ? 0 : permits.availablePermits();
    }

    /** A fair semaphore whose size can shrink as well as grow (requests in flight finish under the old size). */
    private static final class Permits extends Semaphore {
        Permits(int n) {
            super(n, true);
        }

        void shrink(int by) {
            reducePermits(by);
        }
    }

    // ------------------------------------------------------------------ verbs

    /** Search API (§3): one selector; nothing found is an empty list. Zoho's {@code equals} matches like contains: confirm matches yourself. */
    public List<ObjectNode> search(String module, SearchBy by, String value, List<String> fields) {
        String path = "/crm/v8/" + module(module) + "/search?" + by.param + "=" + enc(value) + fieldsParam(fields);
        return measured("search", () -> pages("search", path, "data"));
    }

    /** COQL (§4): live data, no index delay; the query carries its own LIMIT/OFFSET. No rows is an empty list. */
    public List<ObjectNode> coql(String selectQuery) {
        ObjectNode body = mapper.createObjectNode().put("select_query", selectQuery);
        return measured("coql", () -> {
            JsonNode answer = call("coql", "POST", "/crm/v8/coql", body, false);
            return objects(answer, "data");
        });
    }

    /** Inserts records (≤ 100 per request; more are split). Each record's outcome comes back in input order, never thrown. */
    public List<RecordResult> insert(String module, List<ObjectNode> records) {
        return write("insert", "POST", module, records);
    }

    /** Updates records by their {@code "id"} (partial: only the fields sent change). Outcomes per record, as for insert. */
    public List<RecordResult> update(String module, List<ObjectNode> records) {
        for (ObjectNode r : records) {
            if (!r.hasNonNull("id") || !RECORD_ID.matcher(r.path("id").asText()).matches()) {
                throw new IllegalArgumentException("every record to update needs a Zoho record id in \"id\"");
            }
        }
        return write("update", "PUT", module, records);
    }

    /**
     * Deletes records by id (to Zoho's recycle bin; ≤ 100 per request, more are split). Outcomes per id in input order,
     * never thrown; an id Zoho does not hold is an INVALID_DATA outcome.
     */
    public List<RecordResult> delete(String module, List<String> ids) {
        ids.forEach(ZohoClient::recordId);
        if (ids.isEmpty()) {
            return List.of();
        }
        return measured("delete", () -> {
            List<RecordResult> results = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += MAX_RECORDS_PER_WRITE) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_RECORDS_PER_WRITE));
                JsonNode answer = call("delete", "DELETE", "/crm/v8/" + module(module) + "?ids=" + String.join(",", chunk), null, true);
                JsonNode items = answer.path("data");
                for (int i = 0; i < items.size(); i++) {
                    results.add(recordResult(from + i, items.get(i)));
                }
            }
            return results;
        });
    }

    /** One record by id; empty when Zoho does not have it (204, or 400 INVALID_DATA for an unknown id). */
    public Optional<ObjectNode> get(String module, String id) {
        String path = "/crm/v8/" + module(module) + "/" + recordId(id);
        return measured("get", () -> {
            try {
                List<ObjectNode> data = objects(call("get", "GET", path, null, false), "data");
                return data.isEmpty() ? Optional.<ObjectNode>empty() : Optional.of(data.get(0));
            } catch (ZohoPermanentException e) {
                if ("INVALID_DATA".equals(e.code()) && e.httpStatus() == 400) {
                    return Optional.<ObjectNode>empty();
                }
                throw e;
            }
        });
    }

    /** A related list, e.g. the Deals of a Contact; {@code fields} is mandatory for Zoho. */
    public List<ObjectNode> related(String module, String id, String relatedModule, List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("Zoho needs the fields of a related list");
        }
        String path = "/crm/v8/" + module(module) + "/" + recordId(id) + "/" + module(relatedModule) + "?" + fieldsParam(fields).substring(1);
        return measured("related", () -> pages("related", path, "data"));
    }

    /** Users of a type ({@code ActiveUsers}, {@code CurrentUser}, ...; null for all), every page. */
    public List<ObjectNode> users(String type) {
        String path = "/crm/v8/users" + (type == null ? "" : "?type=" + enc(type));
        return measured("users", () -> pages("users", path, "users"));
    }

    /** Field metadata of a module (api names, types, picklist values). */
    public List<ObjectNode> fields(String module) {
        String path = "/crm/v8/settings/fields?module=" + enc(module(module));
        return measured("fields", () -> objects(call("fields", "GET", path, null, false), "fields"));
    }

    /**
     * Escapes a value for a search {@code criteria} (§3): {@code \} first, then {@code (}, {@code )} and {@code ,} get a
     * backslash. A backslash left alone would escape what follows it ({@code a\(b} would leave {@code (} bare and the
     * whole search INVALID_QUERY, forever for that call). The result still needs URL-encoding, which {@link #search} does.
     */
    public static String escapeCriteria(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '(' || ch == ')' || ch == ',') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ machinery

    private List<RecordResult> write(String verb, String method, String module, List<ObjectNode> records) {
        String path = "/crm/v8/" + module(module);
        if (records.isEmpty()) {
            return List.of();
        }
        records.forEach(ZohoFieldLimits::fit);
        return measured(verb, () -> {
            List<RecordResult> results = new ArrayList<>(records.size());
            for (int from = 0; from < records.size(); from += MAX_RECORDS_PER_WRITE) {
                List<ObjectNode> chunk = records.subList(from, Math.min(records.size(), from + MAX_RECORDS_PER_WRITE));
                ObjectNode body = mapper.createObjectNode();
                ArrayNode data = body.putArray("data");
                chunk.forEach(data::add);
                writeTriggers.ifPresent(t -> {
                    ArrayNode trigger = body.putArray("trigger");
                    t.forEach(trigger::add);
                });
                JsonNode answer = call(verb, method, path, body, true);
                JsonNode items = answer.path("data");
                for (int i = 0; i < items.size(); i++) {
                    results.add(recordResult(from + i, items.get(i)));
                }
            }
            return results;
        });
    }

    private static RecordResult recordResult(int index, JsonNode item) {
        boolean success = "success".equalsIgnoreCase(item.path("status").asText());
        JsonNode details = item.get("details");
        String id = null;
        if (details != null) {
            id = success ? text(details.get("id")) : text(details.path("duplicate_record").get("id"));
        }
        return new RecordResult(index, success, id, text(item.get("code")), text(item.get("message")),
                success ? null : ZohoErrors.field(item), details);
    }

    /** Pages through a list answer while Zoho says there are more records. */
    private List<ObjectNode> pages(String verb, String path, String key) {
        List<ObjectNode> all = new ArrayList<>();
        String sep = path.contains("?") ? "&" : "?";
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode answer = call(verb, "GET", path + sep + "page=" + page + "&per_page=" + PER_PAGE, null, false);
            all.addAll(objects(answer, key));
            if (!answer.path("info").path("more_records").asBoolean(false)) {
                break;
            }
        }
        return all;
    }

    /**
     * One request with the shared token; an INVALID_TOKEN answer gets one refresh and one retry. Returns the JSON body
     * of a success (an empty object for 204/304), or of a per-record answer (a 400 or 207 whose {@code data} lists
     * records, for writes); throws the classified exception otherwise.
     */
    private JsonNode call(String verb, String method, String pathAndQuery, JsonNode body, boolean write) {
        long cost = ZohoCredits.cost(verb, write && body != null ? body.path("data").size() : 0,
                body != null && body.has("select_query") ? body.path("select_query").asText() : null);
        if (credits.exhausted(tenant, cost)) {
            ZohoCredits.Usage u = credits.usage(tenant);
            throw new ZohoCreditsExhaustedException(0, "Zoho " + verb + " not sent: the org's API credits are spent (" + u.used() + " of "
                    + u.budget() + " in the last 24 h, scc.zoho.daily-credits, or Zoho refused the last request for credits)");
        }
        byte[] bytes = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        ZohoTokenManager.AccessToken token = tokens.accessToken();
        ZohoHttp.Answer answer = send(verb, method, token, pathAndQuery, bytes, write);
        if (answer.status() == 401 && ZohoErrors.TOKEN_CODES.contains(ZohoErrors.code(json(answer)))) {
            token = tokens.refreshAfterRejection(token);
            answer = send(verb, method, token, pathAndQuery, bytes, write);
        }
        int status = answer.status();
        if (status == 429 && answer.creditsRemaining() != null && answer.creditsRemaining() < cost) {
            // Zoho's 429 covers both its limits; the remaining-credits header tells a spent budget from concurrency
            credits.refusedByZoho(tenant);
            throw new ZohoCreditsExhaustedException(status, "Zoho " + verb + " refused: HTTP 429 TOO_MANY_REQUESTS with "
                    + answer.creditsRemaining() + " API credits remaining of the org's 24 h budget");
        }
        if (status != 429 && status != 401 && status < 500) {
            // Zoho charges what it answered; throttled, unauthenticated and failed requests cost nothing
            credits.spent(tenant, cost);
        }
        if (status == 204 || status == 304) {
            return mapper.createObjectNode();
        }
        JsonNode json = json(answer);
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new ZohoUnavailableException("BAD_ANSWER", status, "Zoho " + verb + " answered " + status + " without JSON", null);
            }
            return json;
        }
        if (write && status == 400 && json != null && json.path("data").isArray() && json.path("data").size() > 0) {
            return json;
        }
        throw ZohoErrors.classify(verb, status, json, write);
    }

    private ZohoHttp.Answer send(String verb, String method, ZohoTokenManager.AccessToken token, String pathAndQuery, byte[] body, boolean write) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(permitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZohoUnavailableException("INTERRUPTED", 0, "interrupted while waiting for a Zoho request slot", null);
        }
        if (!acquired) {
            throw new ZohoUnavailableException("LOCAL_CONCURRENCY", 0, "no Zoho request slot became free within " + permitTimeout.toSeconds()
                    + " s (scc.zoho.max-concurrency)", null);
        }
        try {
            return http.send(method, token.apiDomain() + pathAndQuery, Map.of("Authorization", "Zoho-oauthtoken " + token.value()),
                    "application/json", body);
        } catch (ZohoHttp.TransportException e) {
            if (write && e.maybeDelivered) {
                throw new ZohoOutcomeUnknownException("IO_ERROR", 0, "Zoho " + verb + " sent but no answer came (" + e.getMessage()
                        + "): it may have been applied", null);
            }
            throw new ZohoUnavailableException("IO_ERROR", 0, "Zoho " + verb + " failed: " + e.getMessage(), null);
        } finally {
            permits.release();
        }
    }

    private <T> T measured(String verb, java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            T result = work.get();
            if (result instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof RecordResult) {
                boolean anyFailed = list.stream().anyMatch(r -> !((RecordResult) r).success());
                outcome = anyFailed ? "partial" : "ok";
            }
            return result;
        } catch (ZohoRateLimitedException e) {
            outcome = "rate_limited";
            throw e;
        } catch (ZohoCreditsExhaustedException e) {
            outcome = "credits_exhausted";
            throw e;
        } catch (ZohoOutcomeUnknownException e) {
            outcome = "outcome_unknown";
            throw e;
        } catch (ZohoUnavailableException e) {
            outcome = "unavailable";
            throw e;
        } catch (ZohoRetryableException e) {
            outcome = "retryable";
            throw e;
        } catch (ZohoNotConnectedException e) {
            outcome = "not_connected";
            throw e;
        } catch (ZohoPermanentException e) {
            outcome = "rejected";
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            throw e;
        } finally {
            Counter.builder("scc.zoho.requests").description("Zoho CRM API calls by verb and outcome")
                    .tag("verb", verb).tag("outcome", outcome).register(registry).increment();
            Timer.builder("scc.zoho.request.duration").description("Duration of Zoho CRM API calls, paging and one token retry included")
                    .tag("verb", verb).register(registry).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private JsonNode json(ZohoHttp.Answer a) {
        if (a.body().length == 0) {
            return null;
        }
        try {
            JsonNode n = mapper.readTree(a.body());
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static List<ObjectNode> objects(JsonNode answer, String key) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode arr = answer.path(key);
        if (arr.isArray()) {
            arr.forEach(n -> {
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            });
        }
        return out;
    }

    private static String module(String module) {
        if (module == null || !MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("not a Zoho module API name: " + module);
        }
        return module;
    }

    private static String recordId(String id) {
        if (id == null || !RECORD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Zoho record id: " + id);
        }
        return id;
    }

    private static String fieldsParam(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            return "";
        }
        for (String f : fields) {
            if (!f.matches("[A-Za-z$][A-Za-z0-9_$]{0,99}")) {
                throw new IllegalArgumentException("not a Zoho field API name: " + f);
            }
        }
        return "&fields=" + enc(String.join(",", fields));
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
