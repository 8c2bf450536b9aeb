package dev.agentdispatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.github.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing notification webhook ({@code NOTIFY_WEBHOOK_URL}): each notice is POSTed as Slack-compatible JSON
 * ({@code text}, plus {@code blocks}) from one background thread, so the caller never waits. A short timeout, a
 * few tries on 429, 5xx and network errors, then the notice is dropped and logged. The URL's path is a secret
 * (Slack puts the key there): logs show only its scheme and host.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Per try: connect and answer within this, so a hung receiver cannot pile notices up. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** Tries per notice, with {@link #BACKOFF} doubling between them. */
  static final int TRIES = 3;
  static final Duration BACKOFF = Duration.ofSeconds(1);
  /** Notices waiting to be sent; more are dropped (and logged) rather than held in memory. */
  static final int BACKLOG = 1000;

  private final URI url;
  private final String target;
  private final Sleeper sleeper;
  private final HttpClient http;
  private final Duration timeout;
  private final ThreadPoolExecutor sender;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  WebhookNotifier(URI url, Sleeper sleeper, Duration timeout) {
    this.url = url;
    this.target = Settings.redactPath(url);
    this.sleeper = sleeper;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
      Thread t = new Thread(r, "notify-webhook");
      t.setDaemon(true);
      return t;
    });
  }

  /** The notifier for {@code NOTIFY_WEBHOOK_URL}, or {@link Notifier#none()} when it is not set. */
  public static Notifier of(URI url) {
    return url == null ? Notifier.none() : new WebhookNotifier(url, Sleeper.REAL, TIMEOUT);
  }

  @Override
  public void send(Notice notice) {
    try {
      sender.execute(() -> deliver(notice));
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      log.warn("Notifier: backlog full or closed; notice dropped; target={} event={} task={}", target,
          notice.event(), notice.taskId());
    }
  }

  private void deliver(Notice notice) {
    String body = body(notice);
    String last = null;
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(timeout)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() < 300) {
          delivered.incrementAndGet();
          return;
        }
        last = "HTTP " + r.statusCode();
        if (r.statusCode() != 429 && r.statusCode() < 500) {
          break; // the receiver refuses this notice (bad URL, revoked hook): trying again will not help
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName(); // its message may repeat the URL
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < TRIES && !pause(BACKOFF.multipliedBy(1L << (attempt - 1)))) {
        return;
      }
    }
    dropped.incrementAndGet();
    log.warn("Notifier: webhook failed; notice dropped; target={} event={} task={} error={}", target,
        notice.event(), notice.taskId(), last);
  }

  private boolean pause(Duration d) {
    try {
      sleeper.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Slack's shape: {@code text} for every client, a section block with the same words and a context line. */
  static String body(Notice n) {
    String where = n.repository() == null ? "" : n.repository() + (n.number() == null ? "" : "#" + n.number());
    String line = (where.isEmpty() ? "" : "[" + escape(where) + "] ") + escape(dev.agentdispatch.audit.AuditTrail.redact(n.text()))
        + (n.url() == null ? "" : " <" + escape(n.url()) + ">");
    ObjectNode root = JSON.createObjectNode().put("text", line);
    ArrayNode blocks = root.putArray("blocks");
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", line);
    StringBuilder context = new StringBuilder("agent-dispatch · ").append(escape(n.event()));
    if (n.taskId() != null) {
      context.append(" · task ").append(n.taskId());
    }
    if (n.outcome() != null) {
      context.append(" · ").append(escape(n.outcome()));
    }
    blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", context.toString());
    return root.toString();
  }

  /** Slack's three control characters in mrkdwn. */
  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Notices the receiver accepted. */
  public long delivered() {
    return delivered.get();
  }

  /** Notices given up on (refused, failed every try, or over the backlog). */
  public long dropped() {
    return dropped.get();
  }

  /** Sends what is waiting (up to one timeout's worth of tries each), then stops. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(timeout.toMillis() * TRIES + 2_000, TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      sender.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
