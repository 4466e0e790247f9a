package com.simplecallcenter.zohosync.ops;

import com.simplecallcenter.zohosync.http.BearerToken;
import com.simplecallcenter.zohosync.http.ProblemException;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who may scrape {@code /metrics}: anyone while {@code scc.metrics.token} is unset (the metrics carry counts and tenant
 * ids, never a secret or a phone number); with it set, only a request with {@code Authorization: Bearer <token>}.
 */
public final class MetricsAccess {

    private final Optional<byte[]> token;

    public MetricsAccess(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** Route step: 401 unless the scrape carries the metrics token (when one is set). */
    public void check(Exchange exchange) {
        if (token.isPresent() && !BearerToken.matches(token.get(), BearerToken.of(exchange))) {
            throw ProblemException.unauthorized("bad-metrics-token", "/metrics needs the metrics bearer token (SCC_METRICS_TOKEN)");
        }
    }
}
