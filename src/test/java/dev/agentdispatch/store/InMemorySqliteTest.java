package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemorySqliteTest {
  @Test
  void an_in_memory_sqlite_url_either_works_or_is_refused_when_opened() {
    Database db;
    try {
      db = Database.open("jdbc:sqlite::memory:");
    } catch (IllegalArgumentException | StoreException refused) {
      return;
    }
    try (db) {
      assertTrue(db.isReady(), "opened without complaint, so it must be ready");
      InboxStore store = new InboxStore(db);
      assertArrayEquals(new boolean[] {true}, store.insert(List.of(
          InboxStore.NewDelivery.of("d", "issues", null, null, null, null, 1, "{}".getBytes()))));
      assertTrue(store.find("d").isPresent());
    }
  }
}
