package dev.agentdispatch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the SQLite WAL into the database file on its own thread and connection, off the request path
 * (automatic checkpoints are off on the writer).
 *
 * <p>Every {@code interval}: a passive checkpoint, then the database file is flushed, both without holding up
 * the writer. Under sustained writes a passive checkpoint never catches up with the writer, so SQLite can
 * never start the WAL again from its beginning: the file grows without bound (over 1 GB in a 20 s benchmark)
 * and every commit appends to a growing file, whose fsync costs more than one that overwrites. So once the WAL
 * holds {@code restartFrames} frames, the checkpointer takes the writer's lock for one more pass, which has only
 * the few frames committed since to copy; the writer's next transaction then writes the WAL from its start.
 */
final class SqliteCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

  private final Connection connection;
  private final Lock writerLock;
  private final Path databaseFile;
  private final long restartFrames;
  private long[] seen = {-1, -1};
  private FileChannel file;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> Database.daemon(r, "sqlite-checkpoint"));

  SqliteCheckpointer(Connection connection, Lock writerLock, Path databaseFile, long intervalMs,
      long restartFrames) {
    this.connection = connection;
    this.writerLock = writerLock;
    this.databaseFile = databaseFile;
    this.restartFrames = restartFrames;
    thread.scheduleWithFixedDelay(this::checkpoint, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  private void checkpoint() {
    try {
      long[] wal = passive();
      if (wal[0] == seen[0] && wal[1] == seen[1]) {
        return; // nothing committed or copied since the last run
      }
      seen = wal;
      flushDatabaseFile();
      if (wal[0] < restartFrames) {
        return;
      }
      writerLock.lock();
      try {
        passive(); // only what was committed since the pass above; the WAL then starts over
      } finally {
        writerLock.unlock();
      }
    } catch (SQLException e) {
      log.debug("Database: WAL checkpoint skipped", e);
    }
  }

  /** A passive checkpoint; returns the frames in the WAL and the frames copied into the database file. */
  private long[] passive() throws SQLException {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      return rs.next() ? new long[] {rs.getLong(2), rs.getLong(3)} : new long[] {0, 0};
    }
  }

  /**
   * Writes the copied pages to disk now, a little every run, so that the checkpoint that completes (and syncs
   * the file itself) has little left to flush while it holds the writer's lock.
   */
  private void flushDatabaseFile() {
    try {
      if (file == null) {
        file = FileChannel.open(databaseFile, StandardOpenOption.READ);
      }
      file.force(false);
    } catch (IOException e) {
      log.debug("Database: flushing {} skipped", databaseFile, e);
    }
  }

  /** Stops the thread, copies the whole WAL into the database file, truncates the WAL and closes. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writerLock.lock();
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.debug("Database: final WAL checkpoint skipped", e);
    } finally {
      writerLock.unlock();
    }
    try {
      connection.close();
      if (file != null) {
        file.close();
      }
    } catch (SQLException | IOException ignored) {
      // closing on shutdown
    }
  }
}
