package com.simplecallcenter.zohosync.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Zoho's accounts server for one data centre: clients, grant codes, refresh and access tokens, with Zoho's limits
 * (a refresh token mints at most 10 access tokens per 10 minutes). Callers hold the sandbox lock.
 */
final class Accounts {

    static final Duration GRANT_CODE_LIFETIME = Duration.ofMinutes(2);
    static final Duration REFRESH_WINDOW = Duration.ofMinutes(10);
    static final int REFRESHES_PER_WINDOW = 10;
    static final int REFRESH_TOKENS_PER_CLIENT = 20;
    static final int ACCESS_TOKENS_PER_REFRESH_TOKEN = 30;

    record Client(String id, String secret, String redirectUri) {
    }

    record Answer(int status, Map<String, Object> body) {
    }

    private record GrantCode(String clientId, List<String> scopes, String redirectUri, boolean refreshToken,
                             Instant expiresAt) {
    }

    private static final class RefreshToken {
        final String token;
        final String clientId;
        final List<String> scopes;
        final Deque<Instant> refreshes = new ArrayDeque<>();
        final Deque<String> accessTokens = new ArrayDeque<>();
        boolean revoked;

        RefreshToken(String token, String clientId, List<String> scopes) {
            this.token = token;
            this.clientId = clientId;
            this.scopes = scopes;
        }
    }

    /** An issued access token; {@code refreshToken} is null for one minted by an online-access code exchange. */
    static final class AccessToken {
        final String token;
        final String clientId;
        final String refreshToken;
        final List<String> scopes;
        final Instant expiresAt;
        boolean invalid;

        AccessToken(String token, String clientId, String refreshToken, List<String> scopes, Instant expiresAt) {
            this.token = token;
            this.clientId = clientId;
            this.refreshToken = refreshToken;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
        }

        List<String> scopes() {
            return scopes;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, GrantCode> codes = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new LinkedHashMap<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    /** Clients that already got a refresh token through consent: again only with prompt=consent (§1.2). */
    private final java.util.Set<String> consentedOffline = new java.util.HashSet<>();
    private Duration accessTokenLifetime = Duration.ofHours(1);
    private int refreshCount;

    Accounts(Clock clock) {
        this.clock = clock;
    }

    void clear() {
        clients.clear();
        codes.clear();
        refreshTokens.clear();
        accessTokens.clear();
        consentedOffline.clear();
        accessTokenLifetime = Duration.ofHours(1);
        refreshCount = 0;
    }

    void register(String clientId, String secret, String redirectUri) {
        clients.put(clientId, new Client(clientId, secret, redirectUri));
    }

    Client client(String clientId) {
        return clients.get(clientId);
    }

    void accessTokenLifetime(Duration d) {
        accessTokenLifetime = d;
    }

    int refreshCount() {
        return refreshCount;
    }

    /** A grant code as consent or the self-client console would issue it. */
    String issueCode(String clientId, String scopes, String redirectUri, boolean offline, boolean forceConsent) {
        if (!clients.containsKey(clientId)) {
            throw new IllegalArgumentException("unknown client " + clientId);
        }
        boolean refresh = offline && (redirectUri == null || forceConsent || consentedOffline.add(clientId));
        String code = "1000." + hex(16) + "." + hex(16);
        codes.put(code, new GrantCode(clientId, scopes(scopes), redirectUri, refresh,
                clock.instant().plus(GRANT_CODE_LIFETIME)));
        return code;
    }

    /** A refresh token straight away, as if a self-client code had been exchanged (handy for tests and demos). */
    String issueRefreshToken(String clientId, String scopes) {
        if (!clients.containsKey(clientId)) {
            throw new IllegalArgumentException("unknown client " + clientId);
        }
        return newRefreshToken(clientId, scopes(scopes)).token;
    }

    Answer token(Map<String, String> p) {
        String grantType = p.getOrDefault("grant_type", "");
        Client client = clients.get(p.get("client_id"));
        if (client == null) {
            return error("invalid_client");
        }
        if (!Objects.equals(client.secret(), p.get("client_secret"))) {
            return error("invalid_client_secret");
        }
        Instant now = clock.instant();
        switch (grantType) {
            case "authorization_code" -> {
                GrantCode code = codes.get(p.getOrDefault("code", ""));
                if (code == null || !code.clientId().equals(client.id()) || now.isAfter(code.expiresAt())) {
                    return error("invalid_code");
                }
                if (code.redirectUri() != null && !code.redirectUri().equals(p.get("redirect_uri"))) {
                    return error("invalid_redirect_uri");
                }
                codes.remove(p.get("code")); // single use
                RefreshToken rt = code.refreshToken() ? newRefreshToken(client.id(), code.scopes()) : null;
                AccessToken at = mint(client.id(), rt, code.scopes());
                return new Answer(200, tokenBody(at, rt));
            }
            case "refresh_token" -> {
                RefreshToken rt = refreshTokens.get(p.getOrDefault("refresh_token", ""));
                if (rt == null || rt.revoked || !rt.clientId.equals(client.id())) {
                    return error("invalid_code");
                }
                while (!rt.refreshes.isEmpty() && !rt.refreshes.peekFirst().isAfter(now.minus(REFRESH_WINDOW))) {
                    rt.refreshes.removeFirst();
                }
                if (rt.refreshes.size() >= REFRESHES_PER_WINDOW) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("error", "Access Denied");
                    body.put("error_description",
                            "You have made too many requests continuously. Please try again after some time.");
                    body.put("status", "failure");
                    return new Answer(400, body);
                }
                rt.refreshes.addLast(now);
                refreshCount++;
                return new Answer(200, tokenBody(mint(client.id(), rt, rt.scopes), null));
            }
            default -> {
                return error("unsupported_grant_type");
            }
        }
    }

    Answer revoke(String token) {
        RefreshToken rt = token == null ? null : refreshTokens.get(token);
        if (rt != null && !rt.revoked) {
            revoke(rt);
            return new Answer(200, Map.of("status", "success"));
        }
        AccessToken at = token == null ? null : accessTokens.get(token);
        if (at != null && !at.invalid) {
            at.invalid = true;
            return new Answer(200, Map.of("status", "success"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "invalid_token");
        body.put("status", "failure");
        return new Answer(400, body);
    }

    /** Every access token issued so far now fails with INVALID_TOKEN; new ones work. */
    void expireAccessTokens() {
        accessTokens.values().forEach(t -> t.invalid = true);
    }

    /** As if the user revoked the connection: refresh answers invalid_code, minted access tokens die too. */
    void revokeRefreshTokens() {
        List.copyOf(refreshTokens.values()).forEach(this::revoke);
    }

    AccessToken accessToken(String token) {
        return accessTokens.get(token);
    }

    boolean valid(AccessToken t) {
        return !t.invalid && clock.instant().isBefore(t.expiresAt);
    }

    boolean knows(String accessToken) {
        return accessTokens.containsKey(accessToken);
    }

    private RefreshToken newRefreshToken(String clientId, List<String> scopes) {
        List<RefreshToken> live = refreshTokens.values().stream()
                .filter(t -> !t.revoked && t.clientId.equals(clientId)).toList();
        if (live.size() >= REFRESH_TOKENS_PER_CLIENT) {
            revoke(live.get(0)); // the 21st deletes the oldest (§1.7)
            refreshTokens.remove(live.get(0).token);
        }
        RefreshToken rt = new RefreshToken("1000." + hex(16) + "." + hex(16), clientId, scopes);
        refreshTokens.put(rt.token, rt);
        return rt;
    }

    private AccessToken mint(String clientId, RefreshToken rt, List<String> scopes) {
        AccessToken at = new AccessToken("1000." + hex(16) + "." + hex(16), clientId, rt == null ? null : rt.token,
                scopes, clock.instant().plus(accessTokenLifetime));
        accessTokens.put(at.token, at);
        if (rt != null) {
            rt.accessTokens.addLast(at.token);
            if (rt.accessTokens.size() > ACCESS_TOKENS_PER_REFRESH_TOKEN) {
                AccessToken oldest = accessTokens.get(rt.accessTokens.removeFirst());
                if (oldest != null) {
                    oldest.invalid = true;
                }
            }
        }
        return at;
    }

    private void revoke(RefreshToken rt) {
        rt.revoked = true;
        for (String a : rt.accessTokens) {
            AccessToken at = accessTokens.get(a);
            if (at != null) {
                at.invalid = true;
            }
        }
    }

    private Map<String, Object> tokenBody(AccessToken at, RefreshToken rt) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("access_token", at.token);
        if (rt != null) {
            b.put("refresh_token", rt.token);
        }
        b.put("scope", String.join(" ", at.scopes));
        b.put("api_domain", null); // filled in by the sandbox, which knows its URL
        b.put("token_type", "Bearer");
        b.put("expires_in", accessTokenLifetime.toSeconds());
        return b;
    }

    private static Answer error(String error) {
        return new Answer(200, Map.of("error", error));
    }

    static List<String> scopes(String scopes) {
        if (scopes == null) {
            return List.of();
        }
        return Arrays.stream(scopes.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    /**
     * Whether any granted scope covers the required one: same or parent scope name ({@code ZohoCRM.modules.ALL}
     * covers {@code ZohoCRM.modules.calls.READ}), with operation ALL ⊇ everything and WRITE ⊇ CREATE/UPDATE/DELETE.
     */
    static boolean covers(Collection<String> granted, String required) {
        String r = required.toLowerCase(Locale.ROOT);
        int rDot = r.lastIndexOf('.');
        String rName = r.substring(0, rDot);
        String rOp = r.substring(rDot + 1);
        for (String g0 : granted) {
            String g = g0.toLowerCase(Locale.ROOT);
            int gDot = g.lastIndexOf('.');
            if (gDot < 0) {
                continue;
            }
            String gName = g.substring(0, gDot);
            String gOp = g.substring(gDot + 1);
            boolean nameOk = rName.equals(gName) || rName.startsWith(gName + ".");
            boolean opOk = gOp.equals(rOp) || gOp.equals("all")
                    || (gOp.equals("write") && List.of("create", "update", "delete").contains(rOp));
            if (nameOk && opOk) {
                return true;
            }
        }
        return false;
    }

    static List<String> missing(Collection<String> granted, Collection<String> required) {
        List<String> out = new ArrayList<>();
        for (String r : required) {
            if (!covers(granted, r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
