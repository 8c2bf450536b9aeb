package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore.NewDelivery;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST $WEBHOOK_PATH}: checks size, media type and signature before reading the payload, stores the
 * delivery durably, and only then answers 202 (200 for a repeated delivery id and for ping).
 */
public final class WebhookReceiver implements Handler {
  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
  /** GitHub caps payloads at 25 MB; anything larger is not from GitHub. */
  public static final long MAX_BODY = 25L * 1024 * 1024;
  /** Bodies up to this size are read into an array of the declared length at once. */
  private static final long DIRECT_READ = 1024 * 1024;
  /** GitHub waits 10 s for an answer; give up on the store well before that. */
  private static final long STORE_TIMEOUT_MS = 8_000;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");

  private final Signatures signatures;
  private final Inbox inbox;
  private final Clock clock;
  private final WebhookMetrics metrics;
  private final AtomicLong lastSignatureLog = new AtomicLong();

  public WebhookReceiver(Signatures signatures, Inbox inbox, Clock clock, WebhookMetrics metrics) {
    this.signatures = signatures;
    this.inbox = inbox;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    long started = System.nanoTime();
    long length = ctx.req().getContentLengthLong();
    if (length > MAX_BODY) {
      refuse(ctx, 413, "too_large", "payload is over 25 MiB; GitHub never sends one that large");
      return;
    }
    if (!isJson(ctx.header("Content-Type"))) {
      refuse(ctx, 415, "unsupported_media_type",
          "Content-Type must be application/json (set the webhook's content type to JSON)");
      return;
    }
    byte[] body = readBounded(ctx.req().getInputStream(), length);
    if (body == null) {
      refuse(ctx, 413, "too_large", "payload is over 25 MiB; GitHub never sends one that large");
      return;
    }
    String signature = ctx.header("X-Hub-Signature-256");
    if (!signatures.verify(body, signature)) {
      signatureFailed(ctx, signature == null);
      return;
    }
    String event = ctx.header("X-GitHub-Event");
    String deliveryId = ctx.header("X-GitHub-Delivery");
    if (event == null || !TOKEN.matcher(event).matches()) {
      refuse(ctx, 400, "bad_request", "missing or invalid X-GitHub-Event header");
      return;
    }
    if (deliveryId == null || !TOKEN.matcher(deliveryId).matches()) {
      refuse(ctx, 400, "bad_request", "missing or invalid X-GitHub-Delivery header");
      return;
    }
    PayloadSummary summary;
    try {
      summary = PayloadSummary.of(body);
    } catch (IllegalArgumentException e) {
      metrics.received.labelValues(event, "malformed").inc();
      answer(ctx, 400, "{\"error\":" + quote(e.getMessage()) + "}");
      return;
    }
    if (Events.PING.equals(event)) {
      metrics.received.labelValues(event, "ping").inc();
      answer(ctx, 200, "{\"ok\":true,\"event\":\"ping\"}");
      return;
    }
    store(ctx, NewDelivery.of(deliveryId, event, summary.action(), summary.installationId(),
        summary.repository(), summary.sender(), clock.millis(), body), started);
  }

  private void store(Context ctx, NewDelivery d, long started) {
    ctx.future(() -> inbox.store(d).orTimeout(STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS).handle((outcome, e) -> {
      if (e != null) {
        metrics.received.labelValues(d.event(), "store_failed").inc();
        answer(ctx, 503, "{\"error\":\"could not store the delivery; it can be redelivered\"}");
      } else {
        stored(ctx, d, outcome, started);
      }
      return null;
    }));
  }

  private void stored(Context ctx, NewDelivery d, Inbox.Outcome outcome, long started) {
    if (outcome == Inbox.Outcome.DUPLICATE) {
      metrics.received.labelValues(d.event(), "duplicate").inc();
      answer(ctx, 200, "{\"duplicate\":true,\"delivery\":" + quote(d.deliveryId()) + "}");
      return;
    }
    metrics.received.labelValues(d.event(), "accepted").inc();
    metrics.ingestSeconds.observe((System.nanoTime() - started) / 1e9);
    answer(ctx, 202, "{\"stored\":true,\"delivery\":" + quote(d.deliveryId()) + "}");
  }

  private void signatureFailed(Context ctx, boolean missing) {
    metrics.signatureFailures.inc();
    metrics.received.labelValues("unverified", "bad_signature").inc();
    long now = System.currentTimeMillis();
    long last = lastSignatureLog.get();
    if (now - last >= 1000 && lastSignatureLog.compareAndSet(last, now)) {
      log.warn("Webhook: refused a delivery with a {} X-Hub-Signature-256 from {}; if it came from GitHub,"
          + " check WEBHOOK_SECRET", missing ? "missing" : "wrong", ctx.ip());
    }
    answer(ctx, 401, missing
        ? "{\"error\":\"missing X-Hub-Signature-256 header\"}"
        : "{\"error\":\"X-Hub-Signature-256 does not match the payload\"}");
  }

  private void refuse(Context ctx, int status, String outcome, String message) {
    metrics.received.labelValues("unverified", outcome).inc();
    answer(ctx, status, "{\"error\":" + quote(message) + "}");
  }

  /**
   * Writes the answer straight to the response: Javalin's result stream would copy these few bytes through a
   * fresh buffer one read at a time, on the inbox writer's thread for every stored delivery.
   */
  public static void answer(Context ctx, int status, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    HttpServletResponse res = ctx.res();
    res.setStatus(status);
    res.setContentType("application/json");
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException e) {
      log.debug("Webhook: the client went away before the answer", e);
    }
  }

  /** True for {@code application/json}, with or without parameters such as a charset. */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  /** Reads at most {@link #MAX_BODY} bytes; returns null as soon as the body proves larger. */
  public static byte[] readBounded(InputStream in, long declaredLength) throws IOException {
    if (declaredLength >= 0 && declaredLength <= DIRECT_READ) { // the usual case: straight into one array
      byte[] body = new byte[(int) declaredLength];
      int n = in.readNBytes(body, 0, body.length);
      return in.read() != -1 ? null : n == body.length ? body : java.util.Arrays.copyOf(body, n);
    }
    if (declaredLength >= 0) { // grows with what arrives, not with what the header claims
      byte[] body = in.readNBytes((int) declaredLength);
      return in.read() == -1 ? body : null;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) != -1) {
      if (out.size() + n > MAX_BODY) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
