package com.simplecallcenter.zohosync.http;

import java.util.List;

/**
 * A request the service refuses with a 4xx (or a 503 while the database is unreachable). Routes throw it from beans;
 * one {@code onException} per route file renders it as {@code application/problem+json} (RFC 9457). The message must
 * never carry a secret.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String reason;
    private final List<FieldError> errors;
    private final int retryAfterSeconds;

    public ProblemException(int status, String title, String reason, String detail, List<FieldError> errors) {
        this(status, title, reason, detail, errors, 0);
    }

    private ProblemException(int status, String title, String reason, String detail, List<FieldError> errors, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.reason = reason;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemException(int status, String title, String reason, String detail) {
        this(status, title, reason, detail, List.of());
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "Invalid request", "invalid", detail, errors);
    }

    public static ProblemException unauthorized(String reason, String detail) {
        return new ProblemException(401, "Unauthorized", reason, detail);
    }

    /** 429 with Retry-After: the client is refused for a while (too many failed attempts). */
    public static ProblemException tooManyRequests(String reason, String detail, int retryAfterSeconds) {
        return new ProblemException(429, "Too Many Requests", reason, detail, List.of(), retryAfterSeconds);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", "not-found", detail);
    }

    /**
     * PostgreSQL could not be reached, so nothing was stored: 503 with {@code Retry-After}, never a 500 (not our bug)
     * and never a 2xx (the sender must send it again, and its retry succeeds once the database is back).
     */
    public static ProblemException databaseUnavailable(int retryAfterSeconds) {
        return new ProblemException(503, "Service Unavailable", "database-unavailable",
                "the database is unreachable; nothing was stored, send it again later", List.of(), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A short machine-readable reason, used as a metric label (bounded set of values). */
    public String reason() {
        return reason;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds for the {@code Retry-After} header; 0: no such header. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
