package com.simplecallcenter.zohosync.bench;

import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the ingest benchmark (bench/ingest.sh): N connections post signed canonical events, each with a
 * fresh eventId, for a fixed time, then print accepted events/s and latency percentiles. Not a test: figures only.
 *
 * <pre>java -cp ... IngestLoad url secret connections seconds warmupSeconds</pre>
 */
public final class IngestLoad {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String secret = args[1];
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        run(client, url, secret, connections, warmup, "warmup");
        Result r = run(client, url, secret, connections, seconds, "measure");
        double perSecond = r.accepted / (r.elapsedNanos / 1e9);
        System.out.printf("connections=%d seconds=%d accepted=%d other=%d errors=%d%n", connections, seconds, r.accepted, r.other, r.errors);
        System.out.printf("accepted_per_second=%.0f%n", perSecond);
        System.out.printf("latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f%n",
                r.percentile(50), r.percentile(90), r.percentile(99), r.percentile(100));
    }

    record Result(long accepted, long other, long errors, long elapsedNanos, long[] latencies) {
        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    static Result run(HttpClient client, String url, String secret, int connections, int seconds, String phase) throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            long[] lat = new long[100_000];
            int[] n = new int[1];
            perThread.add(lat);
            counts.add(n);
            int thread = t;
            Thread th = new Thread(() -> {
                long i = 0;
                while (System.nanoTime() < end) {
                    String id = phase + "_" + ProcessHandle.current().pid() + "_" + thread + "_" + (i++) + "_" + System.nanoTime();
                    byte[] body = ("{\"eventId\":\"" + id + "\",\"callId\":\"call_" + id + "\",\"type\":\"call.ended\","
                            + "\"occurredAt\":\"2026-11-24T10:17:05Z\",\"direction\":\"inbound\",\"status\":\"answered\","
                            + "\"from\":\"+1 (415) 555-0134\",\"to\":\"+14155550100\",\"durationSeconds\":116,"
                            + "\"agent\":{\"id\":\"ag_17\",\"email\":\"dana@acme.example\"},\"notes\":\"benchmark\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    long ts = System.currentTimeMillis() / 1000;
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .header("webhook-id", id)
                            .header("webhook-timestamp", String.valueOf(ts))
                            .header("webhook-signature", StandardWebhookVerifier.signature(secret, id, ts, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
                        long dt = System.nanoTime() - t0;
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                            if (n[0] < lat.length) {
                                lat[n[0]++] = dt;
                            }
                        } else {
                            other.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }, "load-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        long elapsed = System.nanoTime() - start;
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < perThread.size(); t++) {
            System.arraycopy(perThread.get(t), 0, all, k, counts.get(t)[0]);
            k += counts.get(t)[0];
        }
        Arrays.sort(all);
        return new Result(accepted.get(), other.get(), errors.get(), elapsed, all);
    }
}
