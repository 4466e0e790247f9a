package com.simplecallcenter.zohosync.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * How many instances of the service share this schema, from a heartbeat each writes (table {@code scc_instance}).
 * Zoho's concurrency limit is per org, not per instance: each instance takes {@code 1/live} of a tenant's budget, so
 * that all instances together stay within it. An instance that stops or dies drops out after three missed heartbeats
 * and the others take its share back.
 */
public final class Instances {

    private static final Logger LOG = LoggerFactory.getLogger("scc.ops");

    private final String id = UUID.randomUUID().toString();
    private final DataSource dataSource;
    private final Duration heartbeat;
    private volatile int live = 1;

    public Instances(DataSource dataSource, Duration heartbeat) {
        this.dataSource = dataSource;
        this.heartbeat = heartbeat;
    }

    /** Timer step: this instance is alive; counts the live ones and forgets those long gone. */
    public void heartbeat() {
        long ttlMs = heartbeat.toMillis() * 3;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO scc_instance (id, last_seen) VALUES (?, now())
                    ON CONFLICT (id) DO UPDATE SET last_seen = now()""")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM scc_instance WHERE last_seen < now() - ? * interval '1 millisecond'")) {
                ps.setLong(1, ttlMs * 10);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM scc_instance WHERE last_seen >= now() - ? * interval '1 millisecond'")) {
                ps.setLong(1, ttlMs);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int n = Math.max(1, rs.getInt(1));
                    if (n != live) {
                        LOG.info("{} instance(s) of the service share this database: each takes 1/{} of a tenant's Zoho concurrency", n, n);
                    }
                    live = n;
                }
            }
        } catch (SQLException e) {
            // keep the last count: the budget stays as it was while the database is away
            LOG.debug("instance heartbeat failed ({}); keeping {} live instance(s)", e.getSQLState(), live);
        }
    }

    /** Live instances on this schema, at least 1 (this one). */
    public int live() {
        return live;
    }

    /** This instance's share of a budget meant for all instances together, at least 1. */
    public int share(int budget) {
        return Math.max(1, budget / live);
    }

    /** On stop: this instance leaves at once, so the others take its share back at their next heartbeat. */
    public void leave() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM scc_instance WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debug("instance could not sign off ({}); it drops out after three missed heartbeats", e.getSQLState());
        }
    }
}
