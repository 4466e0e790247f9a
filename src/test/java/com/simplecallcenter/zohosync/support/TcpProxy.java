package com.simplecallcenter.zohosync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the app and the real PostgreSQL, so a test can take the database away from one app without
 * touching the server the other tests use: {@link #cut()} is a server that is down (open connections reset, new ones
 * refused), {@link #blackHole()} a network that swallows everything (connections accepted, nothing answered, open
 * sessions stall), {@link #restore()} brings the link back. Not a mock: every byte that goes through is PostgreSQL's.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> swallowed = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile ServerSocket server;
    private volatile boolean blackHoled;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = AppHarness.freePort();
        listen();
    }

    /** A proxy on a free local port in front of the PostgreSQL of this JDBC URL; returns the URL through the proxy. */
    public static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.*)").matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host[:port]/db URL: " + jdbcUrl);
        }
        return new TcpProxy(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    public String jdbcUrl(String jdbcUrlOfTarget) {
        return jdbcUrlOfTarget.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    private void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> accept(s), "tcp-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException closed) {
                return;
            }
            if (blackHoled) {
                swallowed.add(client); // accepted, never answered
                continue;
            }
            sockets.add(client);
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                close(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (gate) {
                        while (blackHoled && !from.isClosed()) {
                            gate.wait(100); // hold the bytes: the session stalls, as behind a dead network
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                // either side closed
            } finally {
                close(from);
                close(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** PostgreSQL "down": open connections are reset and new ones refused until {@link #restore()}. */
    public void cut() throws IOException {
        server.close();
        sockets.forEach(TcpProxy::close);
        sockets.clear();
        swallowed.forEach(TcpProxy::close);
        swallowed.clear();
    }

    /** The network swallows everything: new connections hang unanswered and open sessions stall until {@link #restore()}. */
    public void blackHole() {
        blackHoled = true;
    }

    /** The link is back: forwarding resumes (stalled sessions carry on); after a cut, connections are accepted again. */
    public void restore() throws IOException {
        synchronized (gate) {
            blackHoled = false;
            gate.notifyAll();
        }
        // connections made while black-holed never reached PostgreSQL: their clients see them fail
        swallowed.forEach(TcpProxy::close);
        swallowed.clear();
        if (server.isClosed()) {
            listen();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
