package dev.agentdispatch.audit;

import dev.agentdispatch.store.AuditStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail: every decision the app makes is appended here, with credentials masked. Read through
 * {@code GET /api/audit} (filters: repository, person, outcome, since, until; paged with {@code before}).
 */
public final class AuditTrail {
  static final int MAX_PAGE = 500;
  private final AuditStore store;

  public AuditTrail(AuditStore store) {
    this.store = store;
  }

  public void record(AuditEvent e) {
    store.insert(new AuditStore.Row(0, e.at().toEpochMilli(), e.action(), e.outcome(), e.deliveryId(), e.taskId(),
        e.installationId(), e.repository(), e.actor(), Redactor.redact(e.input()), Redactor.redact(e.output()),
        e.duration() == null ? null : e.duration().toMillis(), e.apiCalls(), e.tokenMode()));
  }

  /** {@code GET /api/audit}: newest first; {@code next} is the {@code before} value of the following page. */
  public void list(Context ctx) {
    int limit = Math.min(Math.max(intParam(ctx, "limit", 100), 1), MAX_PAGE);
    List<AuditStore.Row> rows = store.find(new AuditStore.Query(ctx.queryParam("repository"),
        ctx.queryParam("person"), ctx.queryParam("outcome"), time(ctx, "since"), time(ctx, "until"),
        longParam(ctx, "before"), limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", rows.stream().map(AuditTrail::json).toList());
    body.put("next", rows.size() == limit ? rows.get(rows.size() - 1).id() : null);
    ctx.json(body);
  }

  /** Text with credentials masked, as the trail stores it. */
  public static String redact(String text) {
    return Redactor.redact(text);
  }

  /** One event as the admin API shows it. */
  public static Map<String, Object> json(AuditStore.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("at", Instant.ofEpochMilli(r.at()).toString());
    m.put("action", r.action());
    m.put("outcome", r.outcome());
    m.put("delivery", r.deliveryId());
    m.put("task", r.taskId());
    m.put("installation", r.installationId());
    m.put("repository", r.repository());
    m.put("person", r.actor());
    m.put("input", r.input());
    m.put("output", r.output());
    m.put("duration_ms", r.durationMs());
    m.put("api_calls", r.apiCalls());
    m.put("token_mode", r.tokenMode());
    return m;
  }

  private static Long time(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (RuntimeException e) {
      throw new io.javalin.http.BadRequestResponse(name + " must be an ISO-8601 time such as 2026-11-26T00:00:00Z");
    }
  }

  private static Long longParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    try {
      return v == null ? null : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new io.javalin.http.BadRequestResponse(name + " must be a number");
    }
  }

  private static int intParam(Context ctx, String name, int fallback) {
    Long v = longParam(ctx, name);
    return v == null ? fallback : (int) Math.min(v, Integer.MAX_VALUE);
  }
}
