package com.simplecallcenter.zohosync.support;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The real local PostgreSQL that every test uses, one schema per test class (no mocks, no H2). */
public final class TestDatabase {

    public static final String URL = System.getProperty("scc.test.db.url",
            System.getenv().getOrDefault("SCC_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"));
    public static final String USER = System.getProperty("scc.test.db.user",
            System.getenv().getOrDefault("SCC_TEST_DB_USER", "postgres"));

    private TestDatabase() {
    }

    /** Drops the schema (and everything in it) so a test starts from an empty schema; the app's migrations recreate it. */
    public static String freshSchema(String schema) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is required for the tests at " + URL + ": " + e.getMessage(), e);
        }
        return schema;
    }

    public static DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(URL);
        ds.setUser(USER);
        return ds;
    }

    public static DataSource dataSource(String schema) {
        PGSimpleDataSource ds = (PGSimpleDataSource) dataSource();
        ds.setCurrentSchema(schema);
        return ds;
    }
}
