package dev.agentdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The report over a real database: the figures match the tasks and audit rows put in. */
class ReportCommandTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  @TempDir Path dir;
  private String url;

  @BeforeEach
  void tasks() {
    url = "jdbc:sqlite:" + dir.resolve("r.db");
    try (Database db = Database.open(url)) {
      // octo/app: 3 finished in the week (2 done in 10 and 30 minutes, judged succeeded; 1 failed after 20),
      // 1 still running
      task(db, 1, "octo/app", "done", NOW.minus(Duration.ofDays(1)), Duration.ofMinutes(10), 12);
      judged(db, 1, "succeeded");
      task(db, 2, "octo/app", "done", NOW.minus(Duration.ofDays(2)), Duration.ofMinutes(30), 20);
      judged(db, 2, "succeeded");
      task(db, 3, "octo/app", "failed", NOW.minus(Duration.ofDays(3)), Duration.ofMinutes(20), 7);
      task(db, 4, "octo/app", "running", NOW.minus(Duration.ofHours(1)), null, null);
      // octo/web: one timed out; and one task too old for the period
      task(db, 5, "octo/web", "timed_out", NOW.minus(Duration.ofDays(4)), Duration.ofMinutes(60), 30);
      task(db, 6, "octo/web", "done", NOW.minus(Duration.ofDays(9)), Duration.ofMinutes(5), 3);
      judged(db, 6, "succeeded");
    }
  }

  @Test
  void json_figures_per_repository_and_in_total() throws Exception {
    JsonNode r = new ObjectMapper().readTree(run("--since", "7d", "--json"));
    JsonNode app = r.get("repositories").get(0);
    assertEquals("octo/app", app.get("repository").asText());
    assertEquals(4, app.get("tasks").asInt());
    assertEquals(3, app.get("finished").asInt());
    assertEquals(2, app.get("succeeded").asInt());
    assertEquals(2.0 / 3, app.get("success_rate").asDouble(), 1e-9);
    assertEquals(20 * 60, app.get("mean_duration_seconds").asDouble(), 1e-6);
    assertEquals(30 * 60, app.get("p95_duration_seconds").asDouble(), 1e-6);
    assertEquals(13.0, app.get("api_calls_per_task").asDouble(), 1e-9);
    JsonNode web = r.get("repositories").get(1);
    assertEquals(1, web.get("tasks").asInt(), "the 9-day-old task is outside the period");
    assertEquals(0.0, web.get("success_rate").asDouble());
    JsonNode total = r.get("total");
    assertEquals(5, total.get("tasks").asInt());
    assertEquals(0.5, total.get("success_rate").asDouble(), 1e-9);
    assertEquals(NOW.minus(Duration.ofDays(7)).toString(), r.get("since").asText());
  }

  @Test
  void only_tasks_judged_succeeded_count_as_successes_not_a_merge_alone() throws Exception {
    try (Database db = Database.open(url)) {
      // merged by a person without a judgement, and one judged needs attention that is still open
      task(db, 7, "octo/app", "done", NOW.minus(Duration.ofDays(1)), Duration.ofMinutes(15), null);
      task(db, 8, "octo/app", "pr_open", NOW.minus(Duration.ofDays(1)), null, null);
      judged(db, 8, "needs_attention");
    }
    JsonNode app = new ObjectMapper().readTree(run("--since", "7d", "--json")).get("repositories").get(0);
    assertEquals(2, app.get("succeeded").asInt());
    assertEquals(2.0 / 5, app.get("success_rate").asDouble(), 1e-9, "2 succeeded of 5 decided");
  }

  private static void judged(Database db, long id, String outcome) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_judgement (task_id, since, outcome, decided_by,"
          + " decided_at, judged_at, updated_at) VALUES (?, 0, ?, 'all checks pass', 1, 1, 1)")) {
        ps.setLong(1, id);
        ps.setString(2, outcome);
        return ps.executeUpdate();
      }
    });
  }

  @Test
  void the_table_lists_each_repository_and_the_total() {
    String text = run("--since", "30d");
    assertTrue(text.contains("octo/app"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("octo/web") && l.contains("50%")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("all") && l.contains("60%")), text);
  }

  @Test
  void a_bad_period_is_refused_with_exit_code_2() {
    ReportCommand cmd = command(new ByteArrayOutputStream());
    assertEquals(2, new CommandLine(cmd).execute("--since", "lately"));
  }

  private String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(0, new CommandLine(command(buf)).execute(args));
    return buf.toString(StandardCharsets.UTF_8);
  }

  private ReportCommand command(ByteArrayOutputStream buf) {
    ReportCommand cmd = new ReportCommand();
    cmd.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    cmd.env = Map.of("DATABASE_URL", url);
    return cmd;
  }

  private static void task(Database db, long id, String repo, String state, Instant created, Duration took,
      Integer apiCalls) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_task (id, repository, organisation,"
          + " number, kind, trigger_kind, state, created_at, updated_at, started_at, finished_at, lease_owner,"
          + " lease_until) VALUES (?, ?, ?, ?, 'issue', 'label', ?, ?, ?, ?, ?, ?, ?)")) {
        boolean running = state.equals("running");
        ps.setLong(1, id);
        ps.setString(2, repo);
        ps.setString(3, repo.substring(0, repo.indexOf('/')));
        ps.setLong(4, id);
        ps.setString(5, state);
        ps.setLong(6, created.toEpochMilli());
        ps.setLong(7, created.toEpochMilli());
        ps.setLong(8, created.toEpochMilli());
        ps.setObject(9, took == null ? null : created.plus(took).toEpochMilli());
        ps.setString(10, running ? "w1" : null);
        ps.setObject(11, running ? NOW.plusSeconds(60).toEpochMilli() : null);
        ps.executeUpdate();
      }
      if (apiCalls != null) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (at, action, outcome, task_id,"
            + " repository, api_calls) VALUES (?, 'task.finished', ?, ?, ?, ?)")) {
          ps.setLong(1, created.plus(took).toEpochMilli());
          ps.setString(2, state);
          ps.setLong(3, id);
          ps.setString(4, repo);
          ps.setInt(5, apiCalls);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
