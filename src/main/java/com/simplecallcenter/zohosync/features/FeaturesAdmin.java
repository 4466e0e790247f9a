package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.RequestBodies;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/admin/features} and {@code PUT /api/v1/admin/features/{name}}: the optional routes
 * with their state, and a switch that every instance applies within {@code scc.feature.refresh-interval}.
 */
public class FeaturesAdmin {

    private static final int MAX_BODY = 4 * 1024;

    private final FeatureSwitches switches;
    private final Problems problems;
    private final ObjectMapper mapper;

    public FeaturesAdmin(FeatureSwitches switches, Problems problems, ObjectMapper mapper) {
        this.switches = switches;
        this.problems = problems;
        this.mapper = mapper;
    }

    public void list(Exchange exchange) {
        problems.json(exchange, 200, Map.of("items", switches.items(com.simplecallcenter.zohosync.http.Tenancy.of(exchange))));
    }

    /** Body {@code {"enabled": true|false}}; 404 for an unknown name, 400 for anything else than that body. */
    public void put(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || !switches.exists(name)) {
            throw ProblemException.notFound("no optional route named '" + clip(name) + "'; known: " + String.join(", ", switches.names()));
        }
        byte[] body = RequestBodies.readBounded(exchange, MAX_BODY);
        JsonNode json;
        try {
            json = body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("the body is not JSON; send {\"enabled\": true} or {\"enabled\": false}",
                    List.of(new FieldError("enabled", "is required")));
        }
        if (json == null || !json.isObject() || !json.has("enabled")) {
            throw ProblemException.badRequest("send {\"enabled\": true} or {\"enabled\": false}",
                    List.of(new FieldError("enabled", "is required")));
        }
        if (!json.get("enabled").isBoolean()) {
            throw ProblemException.badRequest("enabled must be true or false",
                    List.of(new FieldError("enabled", "must be a boolean")));
        }
        problems.json(exchange, 200, switches.set(com.simplecallcenter.zohosync.http.Tenancy.of(exchange), name, json.get("enabled").booleanValue()));
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) + "…" : safe;
    }
}
