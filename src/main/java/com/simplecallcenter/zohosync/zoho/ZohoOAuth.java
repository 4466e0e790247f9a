package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Zoho connection as the admin makes it: the consent URL with a single-use state, the code exchange at the data
 * centre that issued it (consent or self-client grant code), status and disconnect. Its HTTP endpoints are
 * {@code admin.ZohoOAuthEndpoints} (bean {@code zohoOAuth}).
 */
public final class ZohoOAuth {

    private static final Logger LOG = LoggerFactory.getLogger(ZohoOAuth.class);
    /** The accounts servers of Zoho's data centres. */
    private static final Pattern ZOHO_ACCOUNTS_HOST = Pattern.compile("accounts\\.zoho\\.(com|eu|in|com\\.au|jp|com\\.cn|sa|uk)|accounts\\.zohocloud\\.ca");
    /**
     * The API hosts of Zoho's data centres (docs: US, EU, IN, AU, JP, CA, CN, SA; the UK's is unconfirmed, so not
     * listed: set ZOHO_API_URL there), with the sandbox and developer org hosts Zoho's SDK knows. Exact names only.
     */
    static final java.util.Set<String> ZOHO_API_HOSTS = zohoApiHosts();
    private static final Pattern GRANT_CODE = Pattern.compile("[A-Za-z0-9._-]{1,512}");
    private static final Pattern LOCATION = Pattern.compile("[a-z]{2,8}");

    /**
     * A connect that failed: the HTTP status to answer and a message fit to show (never a secret). {@code notReady}
     * names what is missing when the service cannot connect at all ({@code zoho-not-configured}, {@code token-key-missing}).
     */
    public static final class ConnectFailure extends RuntimeException {
        private final int status;
        private final String notReady;

        ConnectFailure(int status, String message) {
            this(status, null, message);
        }

        private ConnectFailure(int status, String notReady, String message) {
            super(message, null, false, false);
            this.status = status;
            this.notReady = notReady;
        }

        public int status() {
            return status;
        }

        public Optional<String> notReady() {
            return Optional.ofNullable(notReady);
        }
    }

    private final ZohoSettings settings;
    private final OAuthStateStore states;
    private final ZohoConnectionStore store;
    private final ZohoAccounts accounts;
    private final ZohoTokenManager tokens;
    private final ZohoClient client;
    private final Optional<TokenCipher> cipher;
    private final ObjectMapper mapper;
    private final Clock clock;

    ZohoOAuth(ZohoSettings settings, OAuthStateStore states, ZohoConnectionStore store, ZohoAccounts accounts, ZohoTokenManager tokens,
              ZohoClient client, Optional<TokenCipher> cipher, ObjectMapper mapper, Clock clock) {
        this.settings = settings;
        this.states = states;
        this.store = store;
        this.accounts = accounts;
        this.tokens = tokens;
        this.client = client;
        this.cipher = cipher;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * The URL of Zoho's consent page, with a fresh single-use state bound to {@code nonce} (the value of the cookie the
     * caller sets in the admin's browser); a {@link ConnectFailure} when Zoho cannot be connected.
     */
    public String consentUrl(String nonce) {
        requireReady();
        String state = states.issue(store.tenant(), nonce);
        return settings.accountsUrl() + "/oauth/v2/auth"
                + "?response_type=code"
                + "&client_id=" + ZohoClient.enc(settings.clientId().orElseThrow())
                + "&scope=" + ZohoClient.enc(String.join(",", settings.scopes()))
                + "&redirect_uri=" + ZohoClient.enc(settings.redirectUri())
                + "&access_type=offline"
                + "&prompt=consent"
                + "&state=" + ZohoClient.enc(state);
    }

    /**
     * The browser back from Zoho's consent page, with its query parameters: checks the single-use state, then exchanges
     * the code. Returns the status object; a {@link ConnectFailure} says why nothing was connected.
     */
    ObjectNode completeConsent(OAuthStateStore.Check check, String error, String code, String accountsServer, String location) {
        String refused = switch (check) {
            case MISSING -> "This page expects the answer of Zoho's consent page, with its state parameter. Start again from the admin page.";
            case UNKNOWN -> "The state parameter is not one this service issued. Start again from the admin page.";
            case EXPIRED -> "The consent took longer than 10 minutes. Start again from the admin page.";
            case REUSED -> "This consent answer was already used. Start again from the admin page.";
            case OTHER_BROWSER -> "This consent answer did not come back to the browser that started it (its connect cookie is missing"
                    + " or different). Nothing was connected; start again from the admin page, in one browser.";
            case OK -> error == null ? null
                    : "Zoho did not grant access (" + clip(error) + "). Nothing was changed; start again from the admin page to retry.";
        };
        if (refused != null) {
            throw new ConnectFailure(400, refused);
        }
        return connectWithCode(code, accountsServer, location, Optional.of(settings.redirectUri()));
    }

    /** Revokes the refresh token at Zoho (best effort) and forgets the connection; nothing to do when not connected. */
    public void disconnect() {
        Optional<ZohoConnectionStore.Row> removed;
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            store.lock(c);
            removed = store.read(c, true);
            store.delete(c);
            c.commit();
        } catch (SQLException e) {
            throw ZohoConnectionStore.database(e);
        }
        tokens.invalidate();
        tokens.observed(Optional.empty());
        removed.ifPresent(row -> {
            revokeQuietly(row);
            LOG.info("tenant={} Zoho connection removed (was {} at {})", store.tenant(), row.state(), row.apiDomain());
        });
    }

    /** The status object of {@code GET /api/v1/admin/zoho}. */
    public ObjectNode status() {
        Optional<ZohoConnectionStore.Row> found = store.read();
        tokens.observed(found);
        ObjectNode s = mapper.createObjectNode();
        if (found.isEmpty()) {
            s.put("connected", false);
            s.put("state", "disconnected");
            s.putNull("accountsUrl");
            s.putNull("apiDomain");
            s.putArray("scopes");
            s.putNull("connectedAt");
            s.putNull("lastRefreshAt");
            s.putNull("user");
            s.putNull("brokenReason");
            return s;
        }
        ZohoConnectionStore.Row row = found.get();
        String brokenReason = row.connected() ? unreadableReason(row) : (row.brokenReason() == null ? "the connection is broken; reconnect" : row.brokenReason());
        boolean connected = brokenReason == null;
        s.put("connected", connected);
        s.put("state", connected ? "connected" : "broken");
        s.put("accountsUrl", row.accountsUrl());
        s.put("apiDomain", tokens.apiDomain(row));
        s.put("location", row.location());
        var scopes = s.putArray("scopes");
        if (row.scopes() != null) {
            Arrays.stream(row.scopes().split("[ ,]+")).filter(x -> !x.isBlank()).forEach(scopes::add);
        }
        s.put("connectedAt", instant(row.connectedAt()));
        s.put("lastRefreshAt", instant(row.lastRefreshAt()));
        if (row.userId() != null || row.userEmail() != null) {
            s.putObject("user").put("id", row.userId()).put("email", row.userEmail()).put("name", row.userName());
        } else {
            s.putNull("user");
        }
        s.put("brokenReason", brokenReason);
        return s;
    }

    /**
     * Connects with a self-client grant code ({@code POST /api/v1/admin/zoho/grant}). {@code accountsUrl} null means
     * ZOHO_ACCOUNTS_URL. Returns the status object; a {@link ConnectFailure} says why nothing was connected.
     */
    public ObjectNode connectSelfClient(String code, String accountsUrl) {
        return connectWithCode(code, accountsUrl, null, Optional.empty());
    }

    /** Exchanges a grant code and stores the connection; the status object on success. */
    private ObjectNode connectWithCode(String code, String accountsServer, String location, Optional<String> redirectUri) {
        requireReady();
        if (code == null || code.isBlank()) {
            throw new ConnectFailure(400, "Zoho's answer has no grant code. Start again from the admin page.");
        }
        if (!GRANT_CODE.matcher(code).matches()) {
            throw new ConnectFailure(400, "The grant code is malformed.");
        }
        URI accountsUrl = trustedAccountsServer(accountsServer)
                .orElseThrow(() -> new ConnectFailure(400, "The accounts server " + clip(accountsServer) + " is not a Zoho accounts server "
                        + "this service trusts (https://accounts.zoho.<dc> or ZOHO_ACCOUNTS_URL)."));
        ZohoAccounts.Grant grant;
        try {
            grant = accounts.exchangeCode(accountsUrl, code, redirectUri);
        } catch (ZohoPermanentException e) {
            String why = "invalid_code".equals(e.code())
                    ? "the code is expired (codes live 2 minutes), already used, or from another data centre"
                    : e.code().startsWith("invalid_client") ? "check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and the client's data centre"
                    : "see Zoho's API console";
            throw new ConnectFailure(400, "Zoho refused the grant code (" + e.code() + "): " + why + ".");
        } catch (ZohoRateLimitedException e) {
            throw new ConnectFailure(429, "Zoho is throttling token requests (too many in 10 minutes). Try again in a few minutes.");
        } catch (ZohoUnavailableException e) {
            throw new ConnectFailure(502, "Zoho's accounts server could not be reached (" + accountsUrl + "). Try again later.");
        }
        if (grant.refreshToken() == null) {
            throw new ConnectFailure(400, "Zoho granted no refresh token (the consent needs access_type=offline). Nothing was stored.");
        }
        String apiDomain = settings.apiUrl().map(URI::toString).orElseGet(() -> apiDomainOf(grant.apiDomain(), ownServers()));
        TokenCipher c = cipher.orElseThrow();
        Instant now = clock.instant();
        Optional<ZohoConnectionStore.Row> previous;
        try (Connection conn = store.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            store.lock(conn);
            previous = store.read(conn, true);
            store.replace(conn, new ZohoConnectionStore.NewConnection(accountsUrl.toString(), apiDomain,
                    location != null && LOCATION.matcher(location).matches() ? location : null,
                    grant.scope() != null ? grant.scope() : String.join(",", settings.scopes()),
                    c.currentKeyId(),
                    c.seal(grant.refreshToken(), ZohoConnectionStore.REFRESH_COLUMN),
                    c.seal(grant.accessToken(), ZohoConnectionStore.ACCESS_COLUMN),
                    now.plus(grant.expiresIn()), now));
            conn.commit();
        } catch (SQLException e) {
            throw ZohoConnectionStore.database(e);
        }
        tokens.invalidate();
        tokens.observed(store.read());
        // Zoho keeps at most 20 refresh tokens per user: the one this connect replaced is of no use any more
        previous.filter(p -> p.refreshTokenSealed() != null && !sameRefreshToken(p, grant.refreshToken())).ifPresent(this::revokeQuietly);
        try {
            List<ObjectNode> me = client.users("CurrentUser");
            if (!me.isEmpty()) {
                ObjectNode u = me.get(0);
                store.setUser(u.path("id").asText(null), u.path("email").asText(null), u.path("full_name").asText(null));
            }
        } catch (ZohoException e) {
            LOG.warn("tenant={} Zoho connected, but the connecting user could not be read: {} {}", store.tenant(), LogSafe.text(e.code()), e.httpStatus());
        }
        ObjectNode status = status();
        LOG.info("tenant={} Zoho CRM connected: accounts {}, API {}", store.tenant(), accountsUrl, apiDomain);
        return status;
    }

    /**
     * The accounts server to send the client secret to: ZOHO_ACCOUNTS_URL (or an entry of
     * scc.zoho.trusted-accounts-servers), or the https accounts server of one of Zoho's data centres. Anything else is
     * refused: the callback's parameters come from the browser and must not steer the secret to another host.
     */
    Optional<URI> trustedAccountsServer(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(settings.accountsUrl());
        }
        URI u;
        try {
            u = new URI(value.trim());
        } catch (Exception e) {
            return Optional.empty();
        }
        if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
                || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
            return Optional.empty();
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        URI origin = URI.create(scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT));
        if (origin.equals(settings.accountsUrl()) || settings.trustedAccountsServers().contains(origin)) {
            return Optional.of(origin);
        }
        boolean zohoHost = ZOHO_ACCOUNTS_HOST.matcher(u.getHost().toLowerCase(Locale.ROOT)).matches();
        if (scheme.equals("https") && zohoHost && (u.getPort() == -1 || u.getPort() == 443)) {
            return Optional.of(URI.create("https://" + u.getHost().toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    private static java.util.Set<String> zohoApiHosts() {
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (String tld : List.of("com", "eu", "in", "com.au", "jp", "ca", "com.cn", "sa")) {
            for (String prefix : List.of("www", "sandbox", "developer")) {
                hosts.add(prefix + ".zohoapis." + tld);
            }
        }
        return java.util.Set.copyOf(hosts);
    }

    /** The accounts servers this deployment was configured with (ZOHO_ACCOUNTS_URL, scc.zoho.trusted-accounts-servers). */
    private List<URI> ownServers() {
        List<URI> own = new java.util.ArrayList<>(settings.trustedAccountsServers());
        own.add(settings.accountsUrl());
        return own;
    }

    /**
     * Zoho's api_domain, checked: https on one of {@link #ZOHO_API_HOSTS} exactly (no look-alike such as
     * {@code x.zohoapis.evil.net}), or (sandbox, tests) the host of a configured accounts server.
     */
    static String apiDomainOf(String apiDomain, List<URI> ownServers) {
        if (apiDomain == null) {
            throw new ConnectFailure(502, "Zoho's answer did not say where the CRM API is (api_domain). Nothing was stored.");
        }
        try {
            URI u = new URI(apiDomain.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            boolean zoho = scheme.equals("https") && ZOHO_API_HOSTS.contains(host) && (u.getPort() == -1 || u.getPort() == 443);
            boolean own = ownServers.stream().anyMatch(o -> host.equals(o.getHost().toLowerCase(Locale.ROOT))
                    && (scheme.equals("https") || scheme.equals(o.getScheme())));
            if (u.getRawUserInfo() == null && (zoho || own)) {
                return scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT);
            }
        } catch (Exception ignored) {
            // refused below
        }
        throw new ConnectFailure(502, "Zoho's answer named an unexpected API domain (" + clip(apiDomain) + "). Nothing was stored.");
    }

    private void requireReady() {
        if (!settings.clientConfigured()) {
            throw new ConnectFailure(409, "zoho-not-configured",
                    "Zoho is not configured: set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET (see docs/zoho-setup.md).");
        }
        if (cipher.isEmpty()) {
            throw new ConnectFailure(409, "token-key-missing",
                    "Zoho tokens cannot be stored: set SCC_TOKEN_KEY (base64 of 32 random bytes: openssl rand -base64 32).");
        }
    }

    private String unreadableReason(ZohoConnectionStore.Row row) {
        if (cipher.isEmpty()) {
            return "SCC_TOKEN_KEY is not set: the stored Zoho tokens cannot be read.";
        }
        if (!cipher.get().canOpen(row.keyId())) {
            return "the stored Zoho tokens were encrypted with another SCC_TOKEN_KEY (key id " + row.keyId() + ").";
        }
        return null;
    }

    private boolean sameRefreshToken(ZohoConnectionStore.Row row, String refreshToken) {
        try {
            return cipher.isPresent() && cipher.get().canOpen(row.keyId())
                    && refreshToken.equals(cipher.get().open(row.refreshTokenSealed(), row.keyId(), ZohoConnectionStore.REFRESH_COLUMN));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void revokeQuietly(ZohoConnectionStore.Row row) {
        if (row.refreshTokenSealed() == null || cipher.isEmpty() || !cipher.get().canOpen(row.keyId()) || !settings.clientConfigured()) {
            return;
        }
        try {
            String refresh = cipher.get().open(row.refreshTokenSealed(), row.keyId(), ZohoConnectionStore.REFRESH_COLUMN);
            accounts.revoke(URI.create(row.accountsUrl()), refresh);
        } catch (RuntimeException e) {
            LOG.warn("tenant={} Zoho refresh token could not be revoked at {} ({}); revoke it in Zoho's account settings (Connected Apps)",
                    store.tenant(), row.accountsUrl(), e instanceof ZohoException z ? LogSafe.text(z.code()) : e.getClass().getSimpleName());
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    private static String instant(Instant i) {
        return i == null ? null : i.toString();
    }
}
