package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.RequestBodies;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The HTTP side of the registry ({@code routes/tenants.camel.yaml}, bean {@code tenantsApi}): reads the bodies,
 * calls {@link Tenants}, writes the answers. The route has already let the caller in ({@link TenantAuth}).
 */
public final class TenantsApi {

    private static final int MAX_BODY = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("scc.tenants");

    private final Tenants tenants;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final Function<String, String> connectionState;
    private final Consumer<String> afterDisable;

    /**
     * {@code connectionState}: tenant → the state of its Zoho connection ({@code connected}, {@code disconnected},
     * {@code broken}); {@code afterDisable}: what else a disabled tenant loses (its Zoho tokens, revoked and forgotten).
     */
    public TenantsApi(Tenants tenants, Problems problems, ObjectMapper mapper, Function<String, String> connectionState,
                      Consumer<String> afterDisable) {
        this.tenants = tenants;
        this.problems = problems;
        this.mapper = mapper;
        this.connectionState = connectionState;
        this.afterDisable = afterDisable;
    }

    /** POST /api/v1/tenants {"id","name"} → 201 with the two secrets, the only time they are shown. */
    public void create(Exchange exchange) {
        JsonNode body = object(exchange, "send {\"id\": \"acme\", \"name\": \"Acme Support\"}");
        JsonNode id = body.get("id");
        JsonNode name = body.get("name");
        if (id != null && !id.isTextual() || name != null && !name.isTextual()) {
            throw ProblemException.badRequest("id and name are strings", List.of(
                    new FieldError(id != null && !id.isTextual() ? "id" : "name", "must be a string")));
        }
        problems.json(exchange, 201, tenants.create(id == null ? null : id.asText(), name == null ? null : name.asText()));
    }

    /** GET /api/v1/tenants → {"items": [{"id","name","state","createdAt"}]}. */
    public void list(Exchange exchange) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Tenants.Tenant t : tenants.list()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", t.id());
            item.put("name", t.name());
            item.put("state", state(t));
            item.put("createdAt", t.createdAt());
            items.add(item);
        }
        problems.json(exchange, 200, Map.of("items", items));
    }

    /** GET /api/v1/tenants/{tenant}: the tenant, its settings in force, never a secret. */
    public void get(Exchange exchange) {
        problems.json(exchange, 200, view(tenant(exchange)));
    }

    /** PATCH /api/v1/tenants/{tenant}/settings → 200 with the tenant. */
    public void patchSettings(Exchange exchange) {
        String id = tenant(exchange);
        tenants.updateSettings(id, object(exchange, "send a JSON object of settings, e.g. {\"createMissing\": \"Contacts\"}"));
        problems.json(exchange, 200, view(id));
    }

    /** POST /api/v1/tenants/{tenant}/webhook-secret → 200 {"webhookSecret", "previousValidUntil"}. */
    public void rotateWebhookSecret(Exchange exchange) {
        problems.json(exchange, 200, tenants.rotateWebhookSecret(tenant(exchange)));
    }

    /** DELETE /api/v1/tenants/{tenant} (operator) → 204; 404 unknown or disabled before, 409 the default tenant. */
    public void disable(Exchange exchange) {
        String id = exchange.getMessage().getHeader(TenantAuth.TENANT, String.class);
        if (!tenants.disable(id)) {
            throw ProblemException.notFound("no active tenant '" + (Tenants.validId(id) ? id : "?") + "'");
        }
        try {
            afterDisable.accept(id);
        } catch (RuntimeException e) {
            // the tenant is disabled (its webhooks and token stopped); what failed after that is for ops to see
            LOG.error("tenant {} disabled, but what follows a disable failed (its Zoho tokens may still be stored): {}", id, e.toString());
        }
        Problems.respond(exchange, 204, "text/plain", "");
        exchange.getMessage().setBody(null);
    }

    /** GET /api/v1/tenants/{tenant}/admin/agents → {"items": [{"agent","zohoUserId"}]}. */
    public void getAgents(Exchange exchange) {
        problems.json(exchange, 200, items(tenants.agents(tenant(exchange))));
    }

    /** PUT /api/v1/tenants/{tenant}/admin/agents {"items": [...]}: the whole map, replaced. */
    public void putAgents(Exchange exchange) {
        String id = tenant(exchange);
        JsonNode body = object(exchange, RequestBodies.MAX_BYTES, "send {\"items\": [{\"agent\": \"ag_17\", \"zohoUserId\": \"5725767000000411001\"}]}");
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw ProblemException.badRequest("send {\"items\": [{\"agent\", \"zohoUserId\"}]}", List.of(new FieldError("items", "must be a list")));
        }
        List<Tenants.Agent> agents = new ArrayList<>();
        for (JsonNode item : items) {
            agents.add(new Tenants.Agent(text(item, "agent"), text(item, "zohoUserId")));
        }
        problems.json(exchange, 200, items(tenants.putAgents(id, agents)));
    }

    private Map<String, Object> view(String id) {
        Tenants.Tenant t = tenants.find(id).orElseThrow(() -> ProblemException.notFound("no such tenant"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("state", state(t));
        m.put("createdAt", t.createdAt());
        m.put("settings", tenants.effectiveSettings(id).toMap());
        m.put("inherited", tenants.settings(id).unset());
        m.put("providers", tenants.providers(id));
        return m;
    }

    private String state(Tenants.Tenant t) {
        return t.active() ? connectionState.apply(t.id()) : "disabled";
    }

    private static Map<String, Object> items(Map<String, String> agents) {
        List<Map<String, String>> items = new ArrayList<>();
        agents.forEach((agent, user) -> items.add(Map.of("agent", agent, "zohoUserId", user)));
        return Map.of("items", items);
    }

    /** A string field, or a number written as digits (a Zoho id pasted without quotes); null otherwise. */
    private static String text(JsonNode item, String field) {
        JsonNode v = item == null ? null : item.get(field);
        return v != null && (v.isTextual() || v.isIntegralNumber()) ? v.asText() : null;
    }

    private static String tenant(Exchange exchange) {
        return exchange.getMessage().getHeader(TenantAuth.TENANT, String.class);
    }

    private JsonNode object(Exchange exchange, String hint) {
        return object(exchange, MAX_BODY, hint);
    }

    /** The body as a JSON object: 415 unless JSON, 413 above {@code max}, 400 unless an object. */
    private JsonNode object(Exchange exchange, int max, String hint) {
        RequestBodies.requireJson(exchange);
        byte[] raw = RequestBodies.readBounded(exchange, max);
        JsonNode json;
        try {
            json = raw.length == 0 ? null : mapper.readTree(raw);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw ProblemException.badRequest("the body is not a JSON object; " + hint, List.of());
        }
        return json;
    }
}
