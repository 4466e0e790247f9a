package com.simplecallcenter.zohosync.it;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own (Debian's {@code pg_createcluster}, a unique name, a free port, trust
 * authentication on localhost), so the test can stop, start and restart the server without the other tests, or other
 * builds on the machine, ever seeing it. {@link #close()} drops it, also when the test failed; a JVM that dies
 * without closing it leaves a cluster that the next {@link #create()} on the machine drops (its name holds the pid).
 * Needs the postgresql-common tools and root (or the postgres user); a machine without {@code pg_createcluster}
 * skips the test.
 */
public final class ThrowawayCluster implements AutoCloseable {

    private static final String PREFIX = "scc_it_";
    private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)_[0-9a-f]+");

    private final String version;
    private final String name;
    private final int port;
    private final Thread dropAtExit;
    private boolean dropped;

    private ThrowawayCluster(String version, String name, int port) {
        this.version = version;
        this.name = name;
        this.port = port;
        this.dropAtExit = new Thread(this::dropQuietly, "drop-" + name);
    }

    /** Creates and starts a new cluster; skips the calling test (JUnit assumption) where pg_createcluster is missing. */
    public static ThrowawayCluster create() throws Exception {
        Assumptions.assumeTrue(onPath("pg_createcluster") && onPath("pg_ctlcluster") && onPath("pg_dropcluster"),
                "pg_createcluster (Debian's postgresql-common) is not installed");
        String version = newestVersion();
        dropLeftOvers();
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            String name = PREFIX + ProcessHandle.current().pid() + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
            ThrowawayCluster c = new ThrowawayCluster(version, name, freePort());
            Runtime.getRuntime().addShutdownHook(c.dropAtExit);
            try {
                // trust on localhost only (listen_addresses stays 'localhost'); never started at boot
                Result created = run(60, "pg_createcluster", version, name, "-p", String.valueOf(c.port), "--start-conf=manual",
                        "--", "--auth=trust", "--no-sync");
                if (created.exitCode() != 0) {
                    throw new IllegalStateException("pg_createcluster " + name + " exited with " + created.exitCode() + ":\n" + created.output());
                }
                c.start();
                return c;
            } catch (Exception e) {
                // e.g. the port was taken between our look and the server's bind: drop it and try another
                last = e;
                c.close();
            }
        }
        throw last;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** Starts the server and returns once it accepts connections. */
    public void start() throws Exception {
        ctl("start");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepting()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster " + name + " does not accept connections 30 s after start:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Stops the server the way an operator's restart does: open sessions are terminated (fast mode). */
    public void stop() throws Exception {
        ctl("stop", "-m", "fast");
    }

    public void restart() throws Exception {
        stop();
        start();
    }

    public boolean accepting() {
        try {
            return run(10, "pg_isready", "-q", "-h", "127.0.0.1", "-p", String.valueOf(port)).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(Path.of("/var/log/postgresql/postgresql-" + version + "-" + name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void ctl(String... action) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, name));
        cmd.addAll(List.of(action));
        Result r = run(60, cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + r.exitCode() + ":\n" + r.output() + "\n" + log());
        }
    }

    /** Stops and drops the cluster (data, configuration, log); safe to call twice. */
    @Override
    public synchronized void close() {
        if (dropped) {
            return;
        }
        dropped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the cluster dropped
        }
        drop(version, name);
    }

    private synchronized void dropQuietly() {
        if (!dropped) {
            dropped = true;
            drop(version, name);
        }
    }

    private static void drop(String version, String name) {
        try {
            run(60, "pg_dropcluster", "--stop", version, name);
        } catch (Exception e) {
            System.err.println("could not drop the test cluster " + version + "/" + name + ": " + e.getMessage());
        }
    }

    /** Clusters of ours whose JVM is gone (killed before close() and its shutdown hook could run). */
    private static void dropLeftOvers() throws Exception {
        Result r = run(30, "pg_lsclusters", "-h");
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            Matcher m = OURS.matcher(f[1]);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                drop(f[0], f[1]);
            }
        }
    }

    private static String newestVersion() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                    .map(p -> p.getFileName().toString())
                    .max(Comparator.comparingDouble(Double::parseDouble))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under /usr/lib/postgresql"));
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", command));
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(int timeoutSeconds, String... cmd) throws Exception {
        Path out = Files.createTempFile("scc-cluster-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
