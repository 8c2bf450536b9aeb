package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir
  Path dir;

  static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void sqlite_is_ready_after_open_and_uses_the_sqlite_dialect() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("x.db"))) {
      assertTrue(db.isReady());
      assertEquals(Dialect.SQLITE, db.dialect());
    }
  }

  @Test
  void sqlite_file_uses_wal_journal_and_full_sync_on_the_writer() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("x.db"))) {
      assertEquals("wal", db.read(c -> pragma(c, "journal_mode")).toLowerCase());
      assertEquals("wal", db.write(c -> pragma(c, "journal_mode")).toLowerCase());
      assertEquals("2", db.write(c -> pragma(c, "synchronous")), "FULL on the writer");
      assertEquals("2", db.read(c -> pragma(c, "synchronous")), "FULL on readers too");
      assertEquals("1", db.writeUnsynced(c -> pragma(c, "synchronous")), "bookkeeping commits skip the sync");
      assertEquals("2", db.write(c -> pragma(c, "synchronous")), "and every durable write syncs again");
      assertEquals("1", db.write(c -> pragma(c, "foreign_keys")));
    }
    assertTrue(Files.exists(dir.resolve("x.db")));
  }

  @Test
  void the_data_folder_is_created_if_missing() {
    Path file = dir.resolve("a").resolve("b").resolve("agent-dispatch.db");
    try (Database db = Database.open("jdbc:sqlite:" + file)) {
      assertTrue(db.isReady());
    }
    assertTrue(Files.isRegularFile(file));
  }

  @Test
  void reopening_applies_no_migration_twice_and_keeps_the_rows() {
    String url = "jdbc:sqlite:" + dir.resolve("x.db");
    int applied;
    try (Database db = Database.open(url)) {
      new InboxStore(db).insert(List.of(InboxStore.NewDelivery.of("d", "e", null, null, null, null, 1,
          "{}".getBytes())));
      applied = migrationsApplied(db);
    }
    assertTrue(applied > 0);
    try (Database db = Database.open(url)) {
      assertTrue(db.isReady());
      assertTrue(new InboxStore(db).find("d").isPresent());
      assertEquals(applied, migrationsApplied(db));
    }
  }

  private static int migrationsApplied(Database db) {
    return db.read(c -> {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  @Test
  void a_closed_database_is_not_ready_and_refuses_writes() {
    Database db = Database.open("jdbc:sqlite:" + dir.resolve("x.db"));
    db.close();
    assertFalse(db.isReady());
    assertThrows(StoreException.class, () -> db.write(c -> 1));
  }

  @Test
  void unsupported_urls_are_refused() {
    assertThrows(IllegalArgumentException.class, () -> Dialect.of("jdbc:mysql://x/y"));
    assertEquals(Dialect.POSTGRES, Dialect.of("jdbc:postgresql://x/y"));
  }

  @Test
  void postgres_is_ready_after_open_and_migrated() {
    try (Postgres pg = Postgres.start(); Database db = Database.open(pg.freshDatabase())) {
      assertTrue(db.isReady());
      assertEquals(Dialect.POSTGRES, db.dialect());
      assertEquals(0L, new InboxStore(db).depth());
    }
  }

  @Test
  void sqlite_file_is_read_from_a_path_or_a_file_uri() {
    assertEquals(Path.of("data/a.db").toAbsolutePath(), Database.sqliteFile("jdbc:sqlite:data/a.db"));
    assertEquals(Path.of("/srv/a.db"), Database.sqliteFile("jdbc:sqlite:/srv/a.db?busy_timeout=5"));
    assertEquals(Path.of("/srv/a.db"), Database.sqliteFile("jdbc:sqlite:file:/srv/a.db?cache=shared"));
    assertThrows(IllegalArgumentException.class, () -> Database.sqliteFile("jdbc:sqlite::memory:"));
  }
}
