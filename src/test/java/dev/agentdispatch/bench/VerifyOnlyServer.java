package dev.agentdispatch.bench;

import static dev.agentdispatch.webhook.WebhookReceiver.answer;

import dev.agentdispatch.web.HttpServer;
import dev.agentdispatch.webhook.Signatures;
import dev.agentdispatch.webhook.WebhookReceiver;
import io.javalin.http.Handler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Benchmark baseline, not part of the product: the product's own {@link HttpServer} (same Jetty thread pool,
 * same Javalin config, same routes) with a webhook handler that does what {@code WebhookReceiver} does up to and
 * including the signature check and header validation, then answers 202 without parsing or storing anything.
 *
 * <p>Reads WEBHOOK_SECRET, PORT and WEBHOOK_PATH from the environment like {@code serve}.
 */
public final class VerifyOnlyServer {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");

  private VerifyOnlyServer() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String secret = env.get("WEBHOOK_SECRET");
    if (secret == null || secret.isBlank()) {
      System.err.println("WEBHOOK_SECRET is required");
      System.exit(2);
    }
    int port = Integer.parseInt(env.getOrDefault("PORT", "3000"));
    String path = env.getOrDefault("WEBHOOK_PATH", "/api/github/webhooks");
    Signatures signatures = new Signatures(List.of(secret));
    HttpServer server = new HttpServer(path, handler(signatures), () -> true, new PrometheusRegistry(), null,
        admin -> { });
    server.start("0.0.0.0", port);
    System.err.println("verify-only server on port " + server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  static Handler handler(Signatures signatures) {
    return ctx -> {
      long length = ctx.req().getContentLengthLong();
      if (length > WebhookReceiver.MAX_BODY) {
        answer(ctx, 413, "{\"error\":\"too large\"}");
        return;
      }
      if (!WebhookReceiver.isJson(ctx.header("Content-Type"))) {
        answer(ctx, 415, "{\"error\":\"unsupported media type\"}");
        return;
      }
      byte[] body = WebhookReceiver.readBounded(ctx.req().getInputStream(), length);
      if (body == null) {
        answer(ctx, 413, "{\"error\":\"too large\"}");
        return;
      }
      if (!signatures.verify(body, ctx.header("X-Hub-Signature-256"))) {
        answer(ctx, 401, "{\"error\":\"bad signature\"}");
        return;
      }
      String event = ctx.header("X-GitHub-Event");
      String deliveryId = ctx.header("X-GitHub-Delivery");
      if (event == null || !TOKEN.matcher(event).matches()
          || deliveryId == null || !TOKEN.matcher(deliveryId).matches()) {
        answer(ctx, 400, "{\"error\":\"bad headers\"}");
        return;
      }
      answer(ctx, 202, "{\"verified\":true,\"delivery\":\"" + deliveryId + "\"}");
    };
  }
}
