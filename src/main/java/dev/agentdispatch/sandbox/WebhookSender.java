package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts signed webhook deliveries to the app, one at a time in order (single sender thread), and records every
 * attempt for GET /app/hook/deliveries. Redelivery re-sends the same guid and bytes.
 */
public final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private final SimState state;
  private final Faults faults;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sim-webhook-sender");
    t.setDaemon(true);
    return t;
  });
  private final List<SimDelivery> deliveries = new ArrayList<>();
  private int pending;

  WebhookSender(SimState state, Faults faults) {
    this.state = state;
    this.faults = faults;
  }

  /** Queues a new delivery of {@code payload}; returns its record. */
  SimDelivery send(String event, String action, Long installationId, Long repositoryId, ObjectNode payload) {
    byte[] body;
    try {
      body = Sim.JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + event + " payload", e);
    }
    SimDelivery d = new SimDelivery(state.nextId(), UUID.randomUUID().toString(), event, action, installationId,
        repositoryId, body, false, state.clock.now());
    submit(d);
    return d;
  }

  /** Queues another attempt of an earlier delivery: same guid, same bytes, redelivery = true. */
  SimDelivery redeliver(SimDelivery first) {
    SimDelivery d = new SimDelivery(state.nextId(), first.guid, first.event, first.action, first.installationId,
        first.repositoryId, first.body, true, state.clock.now());
    submit(d);
    return d;
  }

  private void submit(SimDelivery d) {
    synchronized (this) {
      deliveries.add(d);
      pending++;
    }
    worker.execute(() -> {
      try {
        deliver(d);
      } finally {
        synchronized (this) {
          pending--;
          notifyAll();
        }
      }
    });
  }

  private void deliver(SimDelivery d) {
    SimApp app = state.app;
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "*/*");
    h.put("Content-Type", "application/json");
    h.put("User-Agent", "GitHub-Hookshot/sim");
    h.put("X-GitHub-Delivery", d.guid);
    h.put("X-GitHub-Event", d.event);
    h.put("X-GitHub-Hook-ID", String.valueOf(app.hookId));
    h.put("X-GitHub-Hook-Installation-Target-ID", String.valueOf(app.id));
    h.put("X-GitHub-Hook-Installation-Target-Type", "integration");
    if (app.webhookSecret != null) h.put("X-Hub-Signature-256", "sha256=" + hmac(app.webhookSecret, d.body));
    d.requestHeaders = Map.copyOf(h);
    long start = System.nanoTime();
    String url = app.webhookUrl;
    if (faults.takeDrop(d.event)) {
      finish(d, 502, "Invalid HTTP Response: 502", start);
      LOG.info("GitHubSimulator: dropped webhook delivery {} ({}.{}) as instructed", d.guid, d.event, d.action);
      return;
    }
    if (url == null) {
      finish(d, 0, "No webhook URL configured", start);
      return;
    }
    try {
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(d.body));
      h.forEach((k, v) -> {
        if (!k.equals("Content-Length")) rb.header(k, v);
      });
      HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      d.responseBody = r.body();
      boolean ok = r.statusCode() >= 200 && r.statusCode() < 300;
      finish(d, r.statusCode(), ok ? "OK" : "Invalid HTTP Response: " + r.statusCode(), start);
    } catch (IOException e) {
      finish(d, 0, "failed to connect to host", start);
      LOG.info("GitHubSimulator: webhook delivery {} ({}) failed: {}", d.guid, d.event, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(d, 0, "interrupted", start);
    }
  }

  private static void finish(SimDelivery d, int code, String status, long startNanos) {
    d.statusCode = code;
    d.status = status;
    d.durationSeconds = Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0;
    d.done = true;
  }

  /** Hex HMAC-SHA256 of the exact body bytes with the webhook secret. */
  public static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blocks until every queued delivery has been attempted; false on timeout. */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (pending > 0) {
      long left = end - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** All delivery attempts, oldest first. */
  public synchronized List<SimDelivery> deliveries() { return List.copyOf(deliveries); }

  public synchronized SimDelivery delivery(long id) {
    return deliveries.stream().filter(d -> d.id == id).findFirst().orElse(null);
  }

  void shutdown() { worker.shutdownNow(); }
}
