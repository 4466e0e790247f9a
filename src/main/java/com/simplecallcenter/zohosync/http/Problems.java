package com.simplecallcenter.zohosync.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes HTTP answers for the REST routes: JSON bodies and RFC 9457 problems. Bodies are written as strings because
 * REST binding is off on our verbs (camel-stack.md pitfalls 4 and 5), and every request header is dropped first so
 * none is echoed back (pitfall 7).
 */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger("scc.http");

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Renders the exception Camel caught on this exchange; anything but a {@link ProblemException} is a 500 that hides its cause. */
    public void render(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!(t instanceof ProblemException)) {
            // the answer hides the cause; the log keeps it for ops (exceptions here carry no request secrets)
            LOG.error("request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), t);
        }
        ProblemException p = t instanceof ProblemException pe ? pe
                : new ProblemException(500, "Internal error", "internal", "the request could not be processed; nothing was accepted, try again later");
        write(exchange, p);
    }

    public void write(Exchange exchange, ProblemException p) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        if (!p.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            p.errors().forEach(e -> errors.addObject().put("field", e.field()).put("message", e.message()));
        }
        respond(exchange, p.status(), PROBLEM_JSON, body.toString());
    }

    public void json(Exchange exchange, int status, Object body) {
        try {
            respond(exchange, status, "application/json", mapper.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void respond(Exchange exchange, int status, String contentType, String body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setBody(body);
    }
}
