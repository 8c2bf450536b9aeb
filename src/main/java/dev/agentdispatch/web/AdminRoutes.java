package dev.agentdispatch.web;

import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;

/** Read-only admin API routes under {@code /api}, added by the parts of the app that own the data. */
public final class AdminRoutes {
  private final Map<String, Handler> routes = new LinkedHashMap<>();

  public AdminRoutes get(String path, Handler handler) {
    if (!path.startsWith("/api/")) {
      throw new IllegalArgumentException("admin routes live under /api/, got " + path);
    }
    routes.put(path, handler);
    return this;
  }

  Map<String, Handler> routes() {
    return routes;
  }
}
