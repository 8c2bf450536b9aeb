package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit lookups the triggers make, the same on every database and exact however many rows came after. */
abstract class AuditStoreContract {
  Database db;
  AuditStore store;
  private long at = 1_000;

  abstract String freshJdbcUrl();

  @BeforeEach
  void open() {
    db = Database.open(freshJdbcUrl());
    store = new AuditStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void row(String action, String delivery, Long task, String repository, String actor, String output) {
    store.insert(new AuditStore.Row(0, at++, action, "ok", delivery, task, 7L, repository, actor, null, output, null,
        null, null));
  }

  /** Rows from the same person in the same repository, as a busy day leaves them. */
  private void noise(int n) {
    for (int i = 0; i < n; i++) {
      row("trigger.refused", "noise-" + at, null, "octo/app", "bob", "#99: refused");
    }
  }

  @Test
  void a_delivery_finds_its_own_row_of_an_action_however_many_rows_came_after() {
    row("task.queued", "d-1", 1L, "octo/app", "bob", "#1: queued");
    noise(600);

    assertTrue(store.exists("d-1", "task.queued"));
    assertFalse(store.exists("d-1", "trigger.refused"), "another action");
    assertFalse(store.exists("d-2", "task.queued"), "another delivery");
  }

  @Test
  void the_latest_row_of_an_issue_among_some_actions_is_found_past_other_rows() {
    row("trigger.held", "d-1", null, "octo/app", "bob", "#1: held for a boundary");
    row("task.queued", "d-2", 5L, "octo/app", "bob", "#1: queued");
    row("task.queued", "d-3", 6L, "octo/app", "bob", "#12: queued");
    row("task.queued", "d-4", 7L, "octo/other", "bob", "#1: queued");
    noise(600);

    Optional<AuditStore.Row> last = store.latest("octo/app", List.of("trigger.held", "task.queued"), "#1:");
    assertEquals(5L, last.orElseThrow().taskId(), "newest for #1 in octo/app: not #12, not octo/other");
    assertEquals("trigger.held", store.latest("octo/app", List.of("trigger.held"), "#1:").orElseThrow().action());
    assertTrue(store.latest("octo/app", List.of("task.queued"), "#2:").isEmpty());
  }

  @Test
  void the_output_prefix_is_matched_literally() {
    row("task.queued", "d-1", 1L, "octo/app", "bob", "50_:x");
    row("task.queued", "d-2", 2L, "octo/app", "bob", "50%:x");

    assertEquals(1L, store.latest("octo/app", List.of("task.queued"), "50_").orElseThrow().taskId());
    assertEquals(2L, store.latest("octo/app", List.of("task.queued"), "50%").orElseThrow().taskId());
    assertTrue(store.latest("octo/app", List.of("task.queued"), "5_").isEmpty());
  }
}
