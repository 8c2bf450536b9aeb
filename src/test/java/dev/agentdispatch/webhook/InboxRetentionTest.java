package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import dev.agentdispatch.store.InboxStore.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention sweep on a real SQLite inbox: what it deletes, and a backlog larger than one batch. */
class InboxRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  @TempDir Path dir;

  @Test
  void a_sweep_deletes_every_delivery_handled_before_the_retention_in_batches() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("inbox.db"))) {
      InboxStore store = new InboxStore(db);
      int old = InboxRetention.BATCH * 2 + 37;
      handled(store, "old-", old, NOW.minus(Duration.ofDays(31)));
      handled(store, "recent-", 5, NOW.minus(Duration.ofDays(29)));
      store.insert(List.of(delivery("waiting", 1)));

      InboxRetention retention = new InboxRetention(store, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
      assertEquals(old, retention.runOnce(), "three transactions' worth in one sweep");
      assertEquals(5L, store.countByState().get(State.DONE));
      assertEquals(1L, store.countByState().get(State.PENDING));
      assertEquals(0, retention.runOnce());
    }
  }

  private static void handled(InboxStore store, String prefix, int n, Instant finishedAt) {
    List<NewDelivery> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(delivery(prefix + i, finishedAt.toEpochMilli()));
    }
    store.insert(batch);
    long at = finishedAt.toEpochMilli();
    List<Long> ids = store.claim("w", n, at, at + 60_000).stream().map(Row::id).toList();
    assertEquals(n, store.complete(ids, "w", at));
  }

  private static NewDelivery delivery(String id, long receivedAt) {
    return NewDelivery.of(id, "issues", "labeled", 1L, "octo/repo", "bob", receivedAt,
        "{}".getBytes(StandardCharsets.UTF_8));
  }
}
