package com.simplecallcenter.zohosync;

import com.simplecallcenter.zohosync.config.ServiceSettings;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.db.Database;
import com.simplecallcenter.zohosync.sync.SyncConfiguration;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Starts the service: resolves and validates every setting, opens and migrates the database, then runs camel-main
 * with the YAML routes of {@code routes/} and the beans of {@link SccConfiguration}.
 */
public final class Application {

    private final Main main;
    private final Settings settings;
    private final HikariDataSource dataSource;

    private Application(Main main, Settings settings, HikariDataSource dataSource) {
        this.main = main;
        this.settings = settings;
        this.dataSource = dataSource;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--demo")) {
            runDemo(args);
            return;
        }
        Application app;
        try {
            app = create(Path.of(System.getProperty("scc.config", "config/application.properties")), System.getenv(), Map.of(),
                    Clock.systemUTC());
        } catch (SettingsException e) {
            System.err.println("scc-zoho-sync: " + e.getMessage());
            System.exit(2);
            return;
        }
        // blocks until SIGTERM/SIGINT; Camel's hangup hook then drains in-flight exchanges and the pool closes last
        try {
            app.main.run();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // e.g. the HTTP port is taken: one line that says so, after Camel's own log of it
            System.err.println("scc-zoho-sync: cannot start: " + root.getMessage()
                    + (root instanceof java.net.BindException ? " (SCC_HTTP_PORT " + app.httpPort() + " is taken)" : ""));
            app.dataSource.close();
            System.exit(1);
        }
        // the log lines of the shutdown are still queued in the async appender: flush them before the JVM exits
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.stop();
        }
    }

    private static void runDemo(String[] args) throws Exception {
        // the demo launcher (issue 4) lives in its own class so production code never loads the sandbox
        Class.forName("com.simplecallcenter.zohosync.demo.Demo").getMethod("main", String[].class).invoke(null, (Object) args);
    }

    /** Starts the service on the system clock and returns once it answers HTTP; throws {@link SettingsException} for a bad setting. */
    public static Application start(Path configFile, Map<String, String> env, Map<String, String> overrides) throws Exception {
        return start(configFile, env, overrides, Clock.systemUTC());
    }

    /** Starts the service with {@code clock} as its one clock (tests move it); otherwise as {@link #start(Path, Map, Map)}. */
    public static Application start(Path configFile, Map<String, String> env, Map<String, String> overrides, Clock clock)
            throws Exception {
        Application app = create(configFile, env, overrides, clock);
        try {
            app.main.start();
        } catch (Exception | Error e) {
            app.dataSource.close();
            throw e;
        }
        return app;
    }

    /** Validates settings, opens and migrates the database and prepares camel-main, without starting it. */
    static Application create(Path configFile, Map<String, String> env, Map<String, String> overrides, Clock clock) {
        Settings settings = Settings.load(configFile, env, overrides);
        for (String name : settings.unknownEnvironment()) {
            LoggerFactory.getLogger(Application.class).warn("environment variable {} names no setting and is ignored", name);
        }
        // reads and checks every setting when built: a bad one stops here, before the database
        SccConfiguration configuration = new SccConfiguration(settings, clock);
        HikariDataSource ds = Database.open(settings);
        try {
            Database.migrate(ds, Database.schema(settings));
            Main main = new Main();
            Properties props = new Properties();
            props.putAll(settings.forCamel());
            // not a setting: the one spelling of the in-memory queue from the inbox to the sync, for every route
            props.put("hand-off", SyncConfiguration.HAND_OFF);
            main.setOverrideProperties(props);
            main.configure().addConfiguration(configuration.withDataSource(ds));
            return new Application(main, settings, ds);
        } catch (RuntimeException | Error e) {
            ds.close();
            throw e;
        }
    }

    /** For tests: start with the checked-in config file, no environment, and the given overrides. */
    public static Application startForTest(Map<String, String> overrides) throws Exception {
        return startForTest(overrides, Clock.systemUTC());
    }

    /** For tests that move time: as {@link #startForTest(Map)}, with {@code clock} as the service's one clock. */
    public static Application startForTest(Map<String, String> overrides, Clock clock) throws Exception {
        return start(Path.of("config/application.properties"), Map.of(), new HashMap<>(overrides), clock);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Settings settings() {
        return settings;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public int httpPort() {
        return ServiceSettings.from(settings).httpPort();
    }

    public void stop() {
        try {
            main.stop();
        } finally {
            dataSource.close();
        }
    }
}
