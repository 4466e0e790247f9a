package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one access token of the service, shared by every thread and every instance, because Zoho lets a refresh token
 * mint only 10 access tokens per 10 minutes. It lives encrypted in PostgreSQL with a copy in memory; one instance at a
 * time refreshes it (advisory lock, then the row is read again), ahead of expiry or once on INVALID_TOKEN.
 * {@code invalid_code} marks the connection broken until an admin reconnects; the "Access Denied" throttle stores a
 * not-before time.
 */
public final class ZohoTokenManager {

    /** An access token and where to use it. Its {@code toString} never shows the token. */
    public record AccessToken(String value, String apiDomain, Instant expiresAt, Instant refreshAt) {
        @Override
        public String toString() {
            return "AccessToken[apiDomain=" + apiDomain + ", expiresAt=" + expiresAt + "]";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ZohoTokenManager.class);
    /** A token this close to its expiry is not handed out: the request could outlive it. */
    private static final Duration USABLE_MARGIN = Duration.ofSeconds(10);

    private final ZohoSettings settings;
    private final ZohoConnectionStore store;
    private final ZohoAccounts accounts;
    private final Optional<TokenCipher> cipher;
    private final Clock clock;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicInteger broken = new AtomicInteger();
    private final MeterRegistry registry;
    private volatile AccessToken cached;

    ZohoTokenManager(ZohoSettings settings, ZohoConnectionStore store, ZohoAccounts accounts, Optional<TokenCipher> cipher,
                     Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.accounts = accounts;
        this.cipher = cipher;
        this.clock = clock;
        this.registry = registry;
        registry.gauge("scc.zoho.connection.broken", io.micrometer.core.instrument.Tags.of("tenant", store.tenant()), broken);
    }

    /** A usable access token: from memory, else from the database, else freshly minted. */
    public AccessToken accessToken() {
        AccessToken t = cached;
        if (t != null && clock.instant().isBefore(t.refreshAt())) {
            return t;
        }
        refreshLock.lock();
        try {
            t = cached;
            Instant now = clock.instant();
            if (t != null && now.isBefore(t.refreshAt())) {
                return t;
            }
            ZohoConnectionStore.Row row = usableRow(readRow());
            AccessToken fromDb = tokenOf(row);
            if (fromDb != null && now.isBefore(fromDb.refreshAt()) && cipher.get().currentKeyId().equals(row.keyId())) {
                cached = fromDb;
                return fromDb;
            }
            return refreshLocked(null);
        } finally {
            refreshLock.unlock();
        }
    }

    /** Zoho answered INVALID_TOKEN for {@code rejected}: a token another thread or instance minted since, or a new one. */
    AccessToken refreshAfterRejection(AccessToken rejected) {
        refreshLock.lock();
        try {
            AccessToken t = cached;
            if (t != null && !t.value().equals(rejected.value()) && clock.instant().isBefore(t.expiresAt().minus(USABLE_MARGIN))) {
                return t;
            }
            cached = null;
            return refreshLocked(rejected);
        } finally {
            refreshLock.unlock();
        }
    }

    /** Whether a usable connection is stored (connected, and a key to open its tokens); false when that cannot be told. */
    public boolean isConnected() {
        try {
            return cipher.isPresent() && store.read()
                    .map(r -> r.connected() && r.refreshTokenSealed() != null && cipher.get().canOpen(r.keyId()))
                    .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Forgets the copy in memory (after a connect or disconnect on this instance). */
    void invalidate() {
        cached = null;
    }

    /** Broken or not, as last seen by this instance (the metric {@code scc_zoho_connection_broken}). */
    void observed(Optional<ZohoConnectionStore.Row> row) {
        broken.set(row.isPresent() && !row.get().connected() ? 1 : 0);
    }

    /**
     * With the cross-instance lock held: read the row again; use a token minted meanwhile by someone else; else
     * refresh at Zoho (unless throttled), and store the result.
     */
    private AccessToken refreshLocked(AccessToken rejected) {
        TokenCipher c = cipher.orElseThrow(ZohoTokenManager::noKey);
        try (Connection conn = store.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            try {
                store.lock(conn);
                ZohoConnectionStore.Row row = usableRow(store.read(conn, true));
                Instant now = clock.instant();
                AccessToken current = tokenOf(row);
                boolean rejectedIsCurrent = rejected != null && current != null && current.value().equals(rejected.value());
                if (current != null && !rejectedIsCurrent) {
                    boolean fresh = now.isBefore(current.refreshAt());
                    // someone else minted it after our rejected one: use it rather than minting another
                    boolean newerThanRejected = rejected != null && now.isBefore(current.expiresAt().minus(USABLE_MARGIN));
                    if (fresh || newerThanRejected) {
                        if (!c.currentKeyId().equals(row.keyId())) {
                            store.resealed(conn, c.currentKeyId(), c.seal(refreshToken(row, c), ZohoConnectionStore.REFRESH_COLUMN),
                                    c.seal(current.value(), ZohoConnectionStore.ACCESS_COLUMN));
                        }
                        conn.commit();
                        cached = current;
                        return current;
                    }
                }
                boolean stillValid = current != null && !rejectedIsCurrent && now.isBefore(current.expiresAt().minus(USABLE_MARGIN));
                if (rejectedIsCurrent) {
                    // whatever happens next, this token is dead: no instance should hand it out again
                    store.forgetAccessToken(conn);
                }
                if (row.refreshNotBefore() != null && now.isBefore(row.refreshNotBefore())) {
                    conn.commit();
                    return throttled(current, stillValid, row.refreshNotBefore());
                }
                if (!settings.clientConfigured()) {
                    throw new ZohoNotConnectedException("CLIENT_NOT_CONFIGURED", "ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET are required to refresh the Zoho token");
                }
                ZohoAccounts.Grant grant;
                try {
                    grant = accounts.refresh(URI.create(row.accountsUrl()), refreshToken(row, c));
                } catch (ZohoRateLimitedException e) {
                    Instant notBefore = now.plus(settings.refreshThrottleBackoff());
                    store.throttledUntil(conn, notBefore);
                    conn.commit();
                    refreshes("throttled");
                    LOG.warn("tenant={} Zoho throttled the token refresh (too many in 10 minutes); no refresh before {}", store.tenant(), notBefore);
                    return throttled(current, stillValid, notBefore);
                } catch (ZohoPermanentException e) {
                    String reason = brokenReason(e.code());
                    store.broken(conn, reason, now);
                    conn.commit();
                    cached = null;
                    broken.set(1);
                    refreshes("refused");
                    LOG.warn("tenant={} Zoho connection broken: {}", store.tenant(), LogSafe.text(reason));
                    throw new ZohoNotConnectedException("CONNECTION_BROKEN", reason);
                } catch (ZohoUnavailableException e) {
                    conn.commit();
                    refreshes("unavailable");
                    if (stillValid) {
                        cached = current;
                        return current;
                    }
                    throw e;
                }
                Instant expires = now.plus(grant.expiresIn());
                String refresh = refreshToken(row, c);
                store.refreshed(conn, c.currentKeyId(), c.seal(refresh, ZohoConnectionStore.REFRESH_COLUMN),
                        c.seal(grant.accessToken(), ZohoConnectionStore.ACCESS_COLUMN), expires, now);
                conn.commit();
                refreshes("ok");
                AccessToken minted = new AccessToken(grant.accessToken(), apiDomain(row), expires, refreshAt(now, expires));
                cached = minted;
                return minted;
            } catch (SQLException | RuntimeException e) {
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed below
                }
                if (e instanceof SQLException s) {
                    throw new ZohoUnavailableException("DATABASE", 0, "the Zoho token could not be read or stored: " + s.getSQLState(), null);
                }
                throw (RuntimeException) e;
            }
        } catch (SQLException e) {
            throw new ZohoUnavailableException("DATABASE", 0, "the database is not reachable: " + e.getSQLState(), null);
        }
    }

    private AccessToken throttled(AccessToken current, boolean stillValid, Instant notBefore) {
        if (stillValid) {
            // keep it in memory only until the throttle ends or the token is about to expire, whichever comes first
            Instant until = notBefore.isBefore(current.expiresAt().minus(USABLE_MARGIN)) ? notBefore : current.expiresAt().minus(USABLE_MARGIN);
            AccessToken t = new AccessToken(current.value(), current.apiDomain(), current.expiresAt(), until);
            cached = t;
            return t;
        }
        throw new ZohoRateLimitedException(ZohoAccounts.THROTTLED, 400,
                "Zoho throttled token refreshes; no new access token before " + notBefore);
    }

    /** The row if it can give a token; otherwise why not, as a {@link ZohoNotConnectedException}. */
    private ZohoConnectionStore.Row usableRow(Optional<ZohoConnectionStore.Row> row) {
        observed(row);
        if (row.isEmpty()) {
            throw new ZohoNotConnectedException("NOT_CONNECTED", "Zoho CRM is not connected: an admin connects it at /oauth/zoho/connect");
        }
        ZohoConnectionStore.Row r = row.get();
        if (!r.connected()) {
            throw new ZohoNotConnectedException("CONNECTION_BROKEN", r.brokenReason() == null ? "the Zoho connection is broken; reconnect" : r.brokenReason());
        }
        if (cipher.isEmpty()) {
            throw noKey();
        }
        if (!cipher.get().canOpen(r.keyId())) {
            throw new ZohoNotConnectedException("TOKEN_KEY_MISMATCH", "the stored Zoho tokens were encrypted with another SCC_TOKEN_KEY (key id "
                    + r.keyId() + "); set that key as SCC_TOKEN_KEY or SCC_TOKEN_PREVIOUS_KEY, or reconnect");
        }
        return r;
    }

    /** The row, with a database outage turned into a retryable failure (the caller's work can wait for it). */
    private Optional<ZohoConnectionStore.Row> readRow() {
        try {
            return store.read();
        } catch (IllegalStateException e) {
            throw new ZohoUnavailableException("DATABASE", 0, e.getMessage(), null);
        }
    }

    private AccessToken tokenOf(ZohoConnectionStore.Row row) {
        if (row.accessTokenSealed() == null || row.accessExpiresAt() == null) {
            return null;
        }
        String value = open(row.accessTokenSealed(), row, ZohoConnectionStore.ACCESS_COLUMN);
        Instant mintedAt = row.lastRefreshAt() != null ? row.lastRefreshAt() : row.connectedAt();
        return new AccessToken(value, apiDomain(row), row.accessExpiresAt(), refreshAt(mintedAt, row.accessExpiresAt()));
    }

    private static String refreshToken(ZohoConnectionStore.Row row, TokenCipher c) {
        if (row.refreshTokenSealed() == null) {
            throw new ZohoNotConnectedException("NOT_CONNECTED", "no refresh token is stored; reconnect Zoho");
        }
        return open(row.refreshTokenSealed(), row, ZohoConnectionStore.REFRESH_COLUMN, c);
    }

    private static String open(byte[] sealed, ZohoConnectionStore.Row row, String column, TokenCipher c) {
        try {
            return c.open(sealed, row.keyId(), column);
        } catch (IllegalStateException e) {
            throw new ZohoNotConnectedException("TOKEN_UNREADABLE", "the stored Zoho token cannot be read (" + e.getMessage() + "); reconnect Zoho");
        }
    }

    private String open(byte[] sealed, ZohoConnectionStore.Row row, String column) {
        return open(sealed, row, column, cipher.orElseThrow(ZohoTokenManager::noKey));
    }

    String apiDomain(ZohoConnectionStore.Row row) {
        return settings.apiUrl().map(URI::toString).orElse(row.apiDomain());
    }

    /**
     * When to refresh a token minted at {@code mintedAt}: {@code refresh-ahead} before expiry, but never in the first
     * half of its life (a short-lived token would otherwise be refreshed on every request).
     */
    Instant refreshAt(Instant mintedAt, Instant expiresAt) {
        Duration ahead = settings.refreshAhead();
        if (mintedAt != null && mintedAt.isBefore(expiresAt)) {
            Duration half = Duration.between(mintedAt, expiresAt).dividedBy(2);
            if (half.compareTo(ahead) < 0) {
                ahead = half;
            }
        }
        Instant at = expiresAt.minus(ahead);
        Instant last = expiresAt.minus(USABLE_MARGIN);
        return at.isAfter(last) ? last : at;
    }

    private void refreshes(String outcome) {
        Counter.builder("scc.zoho.token.refreshes").description("Access-token refreshes at Zoho's accounts server, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    static String brokenReason(String error) {
        if ("invalid_code".equals(error)) {
            return "Zoho refused the refresh token (invalid_code): it was revoked, or belongs to another data centre. "
                    + "Reconnect at /oauth/zoho/connect.";
        }
        if (error != null && error.startsWith("invalid_client")) {
            return "Zoho refused the client credentials (" + error + "): check ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET and "
                    + "the data centre of the client, then reconnect at /oauth/zoho/connect.";
        }
        return "Zoho refused the token refresh (" + error + "). Reconnect at /oauth/zoho/connect.";
    }

    private static ZohoNotConnectedException noKey() {
        return new ZohoNotConnectedException("TOKEN_KEY_MISSING", "SCC_TOKEN_KEY is not set: Zoho tokens cannot be stored or read");
    }
}
