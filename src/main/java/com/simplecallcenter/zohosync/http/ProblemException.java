package com.simplecallcenter.zohosync.http;

import java.util.List;

/**
 * A request the service refuses with a 4xx. Routes throw it from beans; one {@code onException} per route file
 * renders it as {@code application/problem+json} (RFC 9457). The message must never carry a secret.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String reason;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String reason, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.reason = reason;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
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

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", "not-found", detail);
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
}
