package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.RequestBodies;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.http.TenantDirectory;
import com.simplecallcenter.zohosync.zoho.ZohoOAuth;
import com.simplecallcenter.zohosync.zoho.ZohoOAuth.ConnectFailure;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import org.apache.camel.Exchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side of the Zoho connection (bean {@code zohoOAuth}, called by {@code routes/zoho-oauth.camel.yaml}):
 * connect (consent redirect), callback (a small page whatever happens), headless connect with a self-client grant
 * code, status and disconnect. What they do is {@link ZohoOAuth}.
 */
public final class ZohoOAuthEndpoints {

    private static final int MAX_BODY = 16 * 1024;
    /**
     * Binds a consent to the browser that started it. SameSite=Lax: Zoho's redirect back is a top-level GET from
     * another site, which Lax lets carry the cookie (Strict would not); the path keeps it off every other request.
     */
    static final String NONCE_COOKIE = "scc_oauth_nonce";

    private final ZohoOrgs orgs;
    private final TenantDirectory tenants;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final boolean secureCookie;

    public ZohoOAuthEndpoints(ZohoOrgs orgs, TenantDirectory tenants, Problems problems, ObjectMapper mapper, String publicBaseUrl) {
        this.secureCookie = publicBaseUrl != null && publicBaseUrl.toLowerCase(java.util.Locale.ROOT).startsWith("https:");
        this.orgs = orgs;
        this.tenants = tenants;
        this.problems = problems;
        this.mapper = mapper;
    }

    /** The Zoho connection of the exchange's tenant (set by the route's auth step). */
    private ZohoOAuth oauth(Exchange exchange) {
        return orgs.of(Tenancy.of(exchange)).oauth();
    }

    /**
     * GET /oauth/zoho/connect[?tenant=] (admin): 302 to Zoho's consent page, with a state naming the tenant. The auth
     * step before it decided who may connect which tenant.
     */
    public void connect(Exchange exchange) {
        String named = query(exchange).get("tenant");
        if (named != null) {
            if (!Tenancy.validId(named)) {
                throw ProblemException.notFound("no such tenant");
            }
            Tenancy.set(exchange, named);
        }
        String tenant = Tenancy.of(exchange);
        tenants.requireActive(tenant);
        String url;
        String nonce = orgs.newConsentNonce();
        try {
            url = orgs.of(tenant).oauth().consentUrl(nonce);
        } catch (ConnectFailure e) {
            throw new ProblemException(e.status(), "Zoho is not configured", e.notReady().orElse("zoho-connect-failed"), e.getMessage());
        }
        Problems.respond(exchange, 302, "text/plain; charset=utf-8", "Redirecting to Zoho's consent page\n");
        exchange.getMessage().setHeader("Location", url);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("Set-Cookie", NONCE_COOKIE + "=" + nonce + "; Path=/oauth/zoho; Max-Age="
                + java.time.Duration.ofMinutes(10).toSeconds() + "; HttpOnly; SameSite=Lax" + (secureCookie ? "; Secure" : ""));
    }

    /** GET /oauth/zoho/callback: the browser back from Zoho; answers a page whatever happens. */
    public void callback(Exchange exchange) {
        Map<String, String> q = query(exchange);
        try {
            String nonce = AdminAuth.cookie(exchange.getMessage().getHeader("Cookie", String.class), NONCE_COOKIE);
            ObjectNode status = orgs.completeConsent(q.get("state"), nonce, q.get("error"), q.get("code"), q.get("accounts-server"), q.get("location"));
            JsonNode user = status.path("user");
            String who = user.hasNonNull("email") ? " as " + user.path("email").asText() : "";
            ConsentPage.page(exchange, 200, "Zoho CRM connected",
                    "The service is connected to Zoho CRM" + who + " (" + status.path("apiDomain").asText() + ").",
                    "You can close this page.");
        } catch (ConnectFailure e) {
            ConsentPage.page(exchange, e.status(), "Zoho CRM not connected", e.getMessage());
        }
        // one consent per nonce: the next one starts afresh
        exchange.getMessage().setHeader("Set-Cookie", NONCE_COOKIE + "=; Path=/oauth/zoho; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secureCookie ? "; Secure" : ""));
    }

    /** POST /api/v1/admin/zoho/grant (admin): {"code", "accountsUrl"} of a self-client grant code. */
    public void grant(Exchange exchange) {
        RequestBodies.requireJson(exchange);
        byte[] body = RequestBodies.readBounded(exchange, MAX_BODY);
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (Exception e) {
            throw ProblemException.badRequest("the body is not valid JSON", List.of());
        }
        if (json == null || !json.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object", List.of());
        }
        JsonNode code = json.get("code");
        if (code == null || !code.isTextual() || code.asText().isBlank()) {
            throw ProblemException.badRequest("the grant code is missing", List.of(new FieldError("code", "is required")));
        }
        JsonNode accountsUrl = json.get("accountsUrl");
        if (accountsUrl != null && !accountsUrl.isNull() && !accountsUrl.isTextual()) {
            throw ProblemException.badRequest("accountsUrl must be a string", List.of(new FieldError("accountsUrl", "must be a string")));
        }
        String accountsValue = accountsUrl == null || accountsUrl.isNull() ? null : accountsUrl.asText();
        try {
            problems.json(exchange, 200, oauth(exchange).connectSelfClient(code.asText(), accountsValue));
        } catch (ConnectFailure e) {
            String field = e.getMessage().contains("accounts server") ? "accountsUrl" : "code";
            if (e.status() == 400) {
                throw ProblemException.badRequest(e.getMessage(), List.of(new FieldError(field, e.getMessage())));
            }
            throw new ProblemException(e.status(), e.status() == 409 ? "Zoho cannot be connected" : "Zoho did not connect",
                    "zoho-connect-failed", e.getMessage());
        }
    }

    /** GET /api/v1/admin/zoho (admin): the connection status, never a token. */
    public void status(Exchange exchange) {
        problems.json(exchange, 200, oauth(exchange).status());
    }

    /** DELETE /api/v1/admin/zoho (admin): revoke at Zoho, forget here. */
    public void disconnect(Exchange exchange) {
        oauth(exchange).disconnect();
        Problems.respond(exchange, 204, "text/plain", "");
        exchange.getMessage().setBody(null);
    }

    /** The query parameters of the request, decoded; the first of repeated ones. */
    private static Map<String, String> query(Exchange exchange) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (raw == null) {
            raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ignored) {
                // a malformed escape: the parameter is ignored
            }
        }
        return out;
    }
}
