package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointerTest {
  @TempDir
  Path dir;

  /** A writer that never pauses: without the restart the WAL only grows (tens of MiB in these 1.5 s). */
  @Test
  void wal_starts_over_while_a_writer_commits_without_pause() throws Exception {
    Path file = dir.resolve("w.db");
    String url = "jdbc:sqlite:" + file;
    ReentrantLock lock = new ReentrantLock();
    try (Connection writer = DriverManager.getConnection(url)) {
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA wal_autocheckpoint=0");
        s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
      }
      writer.setAutoCommit(false);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong committed = new AtomicLong();
      Thread writes = new Thread(() -> {
        byte[] body = new byte[3000];
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO t (body) VALUES (?)")) {
          while (!stop.get()) {
            lock.lock();
            try {
              ps.setBytes(1, body);
              ps.executeUpdate();
              writer.commit();
              committed.incrementAndGet();
            } finally {
              lock.unlock();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long maxWal = 0;
      Path wal = dir.resolve("w.db-wal");
      try (SqliteCheckpointer checkpointer =
               new SqliteCheckpointer(DriverManager.getConnection(url), lock, file, 10, 64)) {
        writes.start();
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
          maxWal = Math.max(maxWal, Files.exists(wal) ? Files.size(wal) : 0);
          Thread.sleep(5);
        }
        stop.set(true);
        writes.join();
      }
      assertTrue(committed.get() > 200, "the writer kept committing: " + committed.get());
      // Each commit appends at least one 4 KiB page (plus a 24-byte header): a WAL that never starts over ends
      // up at least that large. Starting over at 64 frames keeps it to what a few passes' worth of commits add.
      long appended = committed.get() * (4096 + 24);
      assertTrue(maxWal < appended / 3, "WAL peaked at " + maxWal + " bytes after " + committed.get()
          + " commits that appended at least " + appended);
      assertEquals(0, Files.exists(wal) ? Files.size(wal) : 0, "closing truncates the WAL");
      try (Statement s = writer.createStatement();
           ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertEquals(committed.get(), rs.getLong(1), "every committed row is in the database");
      }
      try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertEquals("ok", rs.getString(1));
      }
    }
  }
}
