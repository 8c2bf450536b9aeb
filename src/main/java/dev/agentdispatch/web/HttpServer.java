package dev.agentdispatch.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The app's HTTP front: the webhook route, health ({@code /healthz}), readiness ({@code /readyz}),
 * Prometheus metrics ({@code /metrics}), the admin API under {@code /api}, which needs the admin token, and public
 * pages outside {@code /api} (the OAuth sign-in under {@code /auth/github}), which do not.
 */
public final class HttpServer implements AutoCloseable {
  private final Javalin javalin;

  public HttpServer(String webhookPath, Handler webhook, BooleanSupplier ready, PrometheusRegistry registry,
      String adminToken, Consumer<AdminRoutes> adminApi) {
    this(webhookPath, webhook, ready, registry, adminToken, adminApi, java.util.Map.of());
  }

  /** @param pages public GET routes by path; none may live under /api */
  public HttpServer(String webhookPath, Handler webhook, BooleanSupplier ready, PrometheusRegistry registry,
      String adminToken, Consumer<AdminRoutes> adminApi, java.util.Map<String, Handler> pages) {
    pages.keySet().forEach(p -> {
      if (p.startsWith("/api/")) {
        throw new IllegalArgumentException("public pages live outside /api/, got " + p);
      }
    });
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    AdminRoutes admin = new AdminRoutes();
    adminApi.accept(admin);
    this.javalin = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = 1024 * 1024;
      config.jetty.threadPool = threadPool();
      config.jetty.modifyServer(server -> server.setStopTimeout(2_000));
      config.routes.post(webhookPath, webhook);
      config.routes.get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
      config.routes.get("/readyz", ctx -> readiness(ctx, ready));
      config.routes.get("/metrics", ctx -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        writer.write(out, registry.scrape());
        ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
      });
      config.routes.before("/api/*", ctx -> {
        if (!ctx.path().equals(webhookPath)) {
          requireAdmin(ctx, adminToken);
        }
      });
      admin.routes().forEach((path, handler) -> config.routes.get(path, handler));
      pages.forEach((path, handler) -> config.routes.get(path, handler));
    });
  }

  public HttpServer start(String host, int port) {
    javalin.start(host, port);
    return this;
  }

  public int port() {
    return javalin.port();
  }

  @Override
  public void close() {
    javalin.stop();
  }

  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
    pool.setName("http");
    return pool;
  }

  private static void readiness(Context ctx, BooleanSupplier ready) {
    if (ready.getAsBoolean()) {
      ctx.json(java.util.Map.of("status", "ready"));
    } else {
      ctx.status(503).json(java.util.Map.of("status", "not ready",
          "reason", "database unreachable or migrations not applied"));
    }
  }

  private static void requireAdmin(Context ctx, String adminToken) {
    String header = ctx.header("Authorization");
    boolean ok = adminToken != null && header != null && header.startsWith("Bearer ")
        && MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
            adminToken.getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      ctx.header("WWW-Authenticate", "Bearer");
      ctx.status(401).json(java.util.Map.of("error", adminToken == null
          ? "the admin API is off: set ADMIN_TOKEN to use it"
          : "send Authorization: Bearer <ADMIN_TOKEN>"));
      ctx.skipRemainingHandlers();
    }
  }
}
