package dev.agentdispatch.web;

import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.TaskStore;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/tasks} (filters: repository, state, person; paged like {@code /api/audit} with {@code limit} and
 * {@code before}) and {@code GET /api/tasks/{id}}: the task, its agent_run row and its audit events.
 */
public final class TasksApi {
  static final int MAX_PAGE = 500;
  /** A task's detail shows at most this many audit events, oldest first. */
  static final int MAX_EVENTS = 500;
  private static final Set<String> STATES = Set.of("queued", "starting", "running", "waiting_for_user", "pr_open",
      "done", "failed", "timed_out", "cancelled", "rejected");

  private final TaskStore tasks;
  private final AgentRunStore runs;
  private final AuditStore audit;

  public TasksApi(TaskStore tasks, AgentRunStore runs, AuditStore audit) {
    this.tasks = tasks;
    this.runs = runs;
    this.audit = audit;
  }

  public void register(AdminRoutes api) {
    api.get("/api/tasks", this::list);
    api.get("/api/tasks/{id}", this::one);
  }

  void list(Context ctx) {
    int limit = (int) Math.min(Math.max(number(ctx.queryParam("limit"), "limit", 100L), 1), MAX_PAGE);
    String state = ctx.queryParam("state");
    if (state != null && !STATES.contains(state.toLowerCase(Locale.ROOT))) {
      throw new BadRequestResponse("state must be one of " + String.join(", ", STATES.stream().sorted().toList()));
    }
    List<TaskStore.Row> rows = tasks.list(new TaskStore.ListQuery(ctx.queryParam("repository"),
        state == null ? null : state.toLowerCase(Locale.ROOT), ctx.queryParam("person"),
        number(ctx.queryParam("before"), "before", null), limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tasks", rows.stream().map(TasksApi::json).toList());
    body.put("next", rows.size() == limit ? rows.get(rows.size() - 1).id() : null);
    ctx.json(body);
  }

  void one(Context ctx) {
    long id = number(ctx.pathParam("id"), "id", null);
    var row = tasks.find(id);
    if (row.isEmpty()) {
      ctx.status(404).json(Map.of("error", "no task " + id));
      return;
    }
    Map<String, Object> body = json(row.get());
    body.put("prompt", AuditTrail.redact(row.get().prompt()));
    body.put("scope", row.get().scope());
    body.put("agent_run", runs.find(id).map(TasksApi::json).orElse(null));
    body.put("events", audit.forTask(id, MAX_EVENTS).stream().map(AuditTrail::json).toList());
    ctx.json(body);
  }

  private static Map<String, Object> json(TaskStore.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("repository", r.repository());
    m.put("number", r.number());
    m.put("kind", r.kind());
    m.put("trigger", r.trigger());
    m.put("person", r.triggeredBy());
    m.put("delivery", r.deliveryId());
    m.put("installation", r.installationId());
    m.put("state", r.state());
    m.put("attempt", r.attempt());
    m.put("lease_owner", r.leaseOwner());
    m.put("agent_task_id", r.agentTaskId());
    m.put("head_ref", r.headRef());
    m.put("pull_number", r.pullNumber());
    m.put("error", AuditTrail.redact(r.error()));
    m.put("base_ref", r.baseRef());
    m.put("model", r.model());
    m.put("created_at", time(r.createdAt()));
    m.put("updated_at", time(r.updatedAt()));
    m.put("started_at", time(r.startedAt()));
    m.put("finished_at", time(r.finishedAt()));
    return m;
  }

  private static Map<String, Object> json(AgentRunStore.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first_requested_at", r.hasIntent() ? time(r.firstRequestedAt()) : null);
    m.put("requested_at", r.hasIntent() ? time(r.requestedAt()) : null);
    m.put("requested_by", r.hasIntent() ? r.requestedBy() : null);
    m.put("token_mode", r.hasIntent() ? r.tokenMode() : null);
    m.put("status_comment_id", r.statusCommentId());
    m.put("next_check_at", time(r.nextCheckAt()));
    m.put("failures", r.failures());
    return m;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  private static Long number(String value, String name, Long fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BadRequestResponse(name + " must be a number");
    }
  }
}
