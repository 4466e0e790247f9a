package com.simplecallcenter.zohosync.it;

import com.simplecallcenter.zohosync.support.Http;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The packaged jar run as a child process, the way users run it, so that tests can kill -9 it. */
public final class AppProcess {

    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static Path jar() {
        String jar = System.getProperty("app.jar", "target/scc-zoho-sync.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException("the packaged jar is missing (" + jar + "): run mvn verify, which packages before the ITs");
        }
        return Path.of(jar);
    }

    public static AppProcess start(Map<String, String> env, int port, List<String> args) throws Exception {
        Path log = Files.createTempFile("scc-app-", ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin(), "-Xmx256m", "-jar", jar().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        AppProcess p = new AppProcess(pb.start(), log, port);
        return p;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public AppProcess awaitReady(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (Http.get("http://127.0.0.1:" + port + "/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the app was not ready within " + timeout + ":\n" + output());
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "";
        }
    }
}
