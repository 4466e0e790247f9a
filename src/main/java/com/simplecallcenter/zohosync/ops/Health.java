package com.simplecallcenter.zohosync.ops;

import com.simplecallcenter.zohosync.http.Problems;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness and readiness: ready when the database answers and every route that should run has started. */
public final class Health {

    /** The route group of the optional routes (follow-up Tasks, Deal links, …) that ops switch at run time. */
    public static final String OPTIONAL_GROUP = "optional";

    private final DataSource dataSource;
    private final Problems problems;

    public Health(DataSource dataSource, Problems problems) {
        this.dataSource = dataSource;
        this.problems = problems;
    }

    public void live(Exchange exchange) {
        problems.json(exchange, 200, Map.of("status", "UP"));
    }

    public void ready(Exchange exchange) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean db = database();
        checks.put("database", db ? "UP" : "DOWN");
        boolean routes = routes(exchange.getContext());
        checks.put("routes", routes ? "UP" : "DOWN");
        boolean up = db && routes;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        problems.json(exchange, up ? 200 : 503, body);
    }

    private boolean database() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean routes(CamelContext context) {
        if (context.getStatus() != ServiceStatus.Started) {
            return false;
        }
        // optional routes (route group "optional") are switched on and off at run time on purpose, and a route that
        // was never meant to start (autoStartup=false) is not missing either: neither makes the service unready
        return context.getRoutes().stream().allMatch(r -> OPTIONAL_GROUP.equals(r.getGroup()) || !r.isAutoStartup()
                || context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started);
    }
}
