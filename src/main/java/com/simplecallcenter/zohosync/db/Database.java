package com.simplecallcenter.zohosync.db;

import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SettingsException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;

import java.util.regex.Pattern;

/** The one PostgreSQL pool of the service, with the schema that Flyway creates and owns. */
public final class Database {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** The least time start-up waits for the database (scc.db.connect-timeout when that is longer). */
    static final long STARTUP_TIMEOUT_MS = 5000;

    private Database() {
    }

    public static HikariDataSource open(Settings settings) {
        String url = settings.get("scc.db.url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw Settings.invalid("scc.db.url", "must be a jdbc:postgresql: URL");
        }
        String schema = schema(settings);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("scc-db");
        cfg.setJdbcUrl(url);
        cfg.setUsername(settings.optional("scc.db.user").orElse(System.getProperty("user.name")));
        settings.optional("scc.db.password").ifPresent(cfg::setPassword);
        cfg.setSchema(schema);
        cfg.setMaximumPoolSize(settings.intValue("scc.db.pool-size", 2, 500));
        // A request waits this long for a connection; while PostgreSQL is down that is how long a webhook takes to get
        // its 503, so it is short. Start-up waits longer for a database that is still coming up.
        long connectTimeout = settings.duration("scc.db.connect-timeout", java.time.Duration.ofMillis(250), java.time.Duration.ofMinutes(10)).toMillis();
        cfg.setConnectionTimeout(connectTimeout);
        cfg.setInitializationFailTimeout(Math.max(connectTimeout, STARTUP_TIMEOUT_MS));
        // checking a pooled connection before handing it out (Hikari's default allows 5 s) fits in the same time
        cfg.setValidationTimeout(Math.max(250, Math.min(connectTimeout / 2, 5000)));
        cfg.addDataSourceProperty("ApplicationName", "scc-zoho-sync");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        try {
            return new HikariDataSource(cfg);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new SettingsException("cannot connect to PostgreSQL at " + url + " (SCC_DB_URL, SCC_DB_USER, SCC_DB_PASSWORD): "
                    + root.getMessage());
        }
    }

    public static String schema(Settings settings) {
        String schema = settings.get("scc.db.schema");
        if (!SCHEMA.matcher(schema).matches()) {
            throw Settings.invalid("scc.db.schema", "must be a lower-case SQL identifier");
        }
        return schema;
    }

    /** Creates the schema if missing and applies every migration; the app never starts on an old schema. */
    public static void migrate(HikariDataSource ds, String schema) {
        Flyway.configure()
                .dataSource(ds)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
