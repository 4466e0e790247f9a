package com.simplecallcenter.zohosync.ops;

import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liveness and readiness: ready when the database answers and every route that should run has started. Readiness
 * answers within about {@code scc.db.ready-timeout} whatever the database does ({@link DatabaseCheck}).
 */
public final class Health {

    private final DatabaseCheck database;
    private final Problems problems;

    public Health(DatabaseCheck database, Problems problems) {
        this.database = database;
        this.problems = problems;
    }

    public void live(Exchange exchange) {
        problems.json(exchange, 200, Map.of("status", "UP"));
    }

    public void ready(Exchange exchange) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean db = database.isUp();
        checks.put("database", db ? "UP" : "DOWN");
        boolean routes = routes(exchange.getContext());
        checks.put("routes", routes ? "UP" : "DOWN");
        boolean up = db && routes;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        problems.json(exchange, up ? 200 : 503, body);
    }

    private static boolean routes(CamelContext context) {
        if (context.getStatus() != ServiceStatus.Started) {
            return false;
        }
        // a route that was never meant to start (autoStartup=false) is not missing
        return context.getRoutes().stream().allMatch(r -> !r.isAutoStartup()
                || context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started);
    }
}
