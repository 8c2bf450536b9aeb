package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** V7 rebuilds inbox_payload keyed by the rowid: payloads stored before it are still there after it. */
class PayloadRowidMigrationTest {
  @TempDir
  Path dir;

  @Test
  void payloads_stored_under_v6_survive_the_rebuild() {
    byte[] payload = "{\"before\":\"v7\"}".getBytes(StandardCharsets.UTF_8);
    String url2 = "jdbc:sqlite:" + dir.resolve("old2.db");
    SQLiteDataSource ds2 = new SQLiteDataSource();
    ds2.setUrl(url2);
    Flyway.configure().dataSource(ds2).locations("classpath:db/migration").placeholders(Dialect.SQLITE.placeholders())
        .target("6").load().migrate();
    try (var c = ds2.getConnection(); var s = c.createStatement()) {
      s.execute("INSERT INTO inbox (id, delivery_id, event, received_at, state, attempts, next_attempt_at)"
          + " VALUES (7, 'd-old', 'issues', 1, 'pending', 0, 1)");
      try (var ps = c.prepareStatement("INSERT INTO inbox_payload (inbox_id, payload) VALUES (7, ?)")) {
        ps.setBytes(1, PayloadCodec.encode(payload));
        ps.executeUpdate();
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    try (Database db = Database.open(url2)) {
      InboxStore store = new InboxStore(db);
      assertArrayEquals(payload, store.payload(7));
      List<InboxStore.Row> claimed = store.claim("w", 10, 2, 60_000);
      assertEquals("d-old", claimed.get(0).deliveryId());
    }
  }
}
