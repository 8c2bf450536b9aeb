package dev.agentdispatch.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: SQLite (one file, WAL mode, every commit synced, one writer thread) or PostgreSQL
 * (a connection pool, row locks between instances). Migrations run when it opens.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final Dialect dialect;
  private final HikariDataSource pool;
  private final SqliteWriter sqliteWriter;
  private final int migrations;

  private Database(Dialect dialect, HikariDataSource pool, SqliteWriter sqliteWriter, int migrations) {
    this.dialect = dialect;
    this.pool = pool;
    this.sqliteWriter = sqliteWriter;
    this.migrations = migrations;
  }

  /** Opens the database named by a JDBC URL and applies pending migrations. */
  public static Database open(String jdbcUrl) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariDataSource pool = null;
    try {
      if (dialect == Dialect.SQLITE) {
        SQLiteDataSource sqlite = sqliteDataSource(jdbcUrl);
        int applied = migrate(sqlite, dialect);
        pool = pool(sqlite, null, 4);
        return new Database(dialect, pool, new SqliteWriter(sqlite, sqliteFile(jdbcUrl)), applied);
      }
      pool = pool(null, jdbcUrl, 16);
      return new Database(dialect, pool, null, migrate(pool, dialect));
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw e;
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs work on a pooled connection in auto-commit mode (reads). */
  public <T> T read(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("database read failed", e);
    }
  }

  /** Runs work in one transaction and commits it durably; on SQLite always on the single writer connection. */
  public <T> T write(SqlWork<T> work) {
    return write(work, true);
  }

  /**
   * Like {@link #write}, but the commit does not wait for the disk: for bookkeeping whose loss in a power
   * cut is harmless because it is redone (a lease taken, a delivery marked handled: handling is at least
   * once anyway). The next durable commit makes it durable too (the log is sequential), and nothing a
   * webhook answer promises ever depends on it.
   */
  public <T> T writeUnsynced(SqlWork<T> work) {
    return write(work, false);
  }

  private <T> T write(SqlWork<T> work, boolean synced) {
    if (sqliteWriter != null) {
      return sqliteWriter.run(work, synced);
    }
    try (Connection c = pool.getConnection()) {
      return inTransaction(c, synced ? work : conn -> {
        try (Statement s = conn.createStatement()) {
          s.execute("SET LOCAL synchronous_commit = off");
        }
        return work.run(conn);
      });
    } catch (SQLException e) {
      throw new StoreException("database write failed", e);
    }
  }

  /** Database reachable and every migration this build knows applied. */
  public boolean isReady() {
    try {
      int applied = read(c -> {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      return applied >= migrations;
    } catch (RuntimeException e) {
      log.debug("Database: readiness check failed", e);
      return false;
    }
  }

  @Override
  public void close() {
    if (sqliteWriter != null) {
      sqliteWriter.close();
    }
    pool.close();
  }

  static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static int migrate(DataSource ds, Dialect dialect) {
    Flyway flyway = Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration")
        .placeholders(dialect.placeholders())
        .load();
    flyway.migrate();
    return flyway.info().applied().length;
  }

  /** The database file a SQLite JDBC URL names (a plain path or a {@code file:} URI, query left off). */
  static Path sqliteFile(String jdbcUrl) {
    String file = jdbcUrl.substring("jdbc:sqlite:".length());
    if (file.isEmpty() || file.contains(":memory:") || file.contains("mode=memory")) {
      throw new IllegalArgumentException("an in-memory SQLite database is not durable; name a file");
    }
    int q = file.indexOf('?');
    file = q >= 0 ? file.substring(0, q) : file;
    if (file.startsWith("file:")) {
      file = file.substring("file:".length());
      file = file.startsWith("//") ? file.substring(2) : file;
    }
    return Path.of(file).toAbsolutePath();
  }

  private static SQLiteDataSource sqliteDataSource(String jdbcUrl) {
    Path parent = sqliteFile(jdbcUrl).getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the database folder " + parent, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    config.setCacheSize(-16_384);
    config.enforceForeignKeys(true);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl(jdbcUrl);
    return ds;
  }

  private static HikariDataSource pool(DataSource ds, String url, int size) {
    HikariConfig hc = new HikariConfig();
    if (ds != null) {
      hc.setDataSource(ds);
    } else {
      hc.setJdbcUrl(url);
    }
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(1);
    hc.setPoolName("agent-dispatch-db");
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(-1);
    return new HikariDataSource(hc);
  }

  /**
   * SQLite allows one writer at a time: every write transaction runs on this one connection under a lock,
   * on the caller's thread, so writers queue in the JVM and never spin on SQLite's busy lock. WAL
   * checkpoints run on another thread and connection ({@link SqliteCheckpointer}).
   */
  private static final class SqliteWriter {
    /** Prepared statements kept on the writer connection (the inbox insert has one per group size). */
    private static final int STATEMENTS = 512;
    /** How often the checkpointer runs: often enough that each flush of the database file stays small. */
    private static final long CHECKPOINT_INTERVAL_MS = 50;
    /** WAL frames (pages) after which the checkpointer makes the WAL start over: 16 MiB of 4 KiB pages. */
    private static final long RESTART_FRAMES = 4096;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final SqliteCheckpointer checkpointer;
    private boolean closed;
    private boolean fullSync = true;

    SqliteWriter(SQLiteDataSource ds, Path file) {
      try {
        connection = StatementCache.wrap(ds.getConnection(), STATEMENTS);
        try (Statement s = connection.createStatement()) {
          s.execute("PRAGMA wal_autocheckpoint=0");
          s.execute("PRAGMA journal_size_limit=67108864"); // shrink the WAL file back after a checkpoint
        }
        connection.setAutoCommit(false);
        checkpointer = new SqliteCheckpointer(ds.getConnection(), lock, file, CHECKPOINT_INTERVAL_MS,
            RESTART_FRAMES);
      } catch (SQLException e) {
        throw new StoreException("cannot open the SQLite database", e);
      }
    }

    <T> T run(SqlWork<T> work, boolean synced) {
      lock.lock();
      try {
        if (closed) {
          throw new StoreException("database is closed", null);
        }
        if (synced != fullSync) {
          connection.setAutoCommit(true); // SQLite changes the sync level only outside a transaction
          try (Statement s = connection.createStatement()) {
            s.execute(synced ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
          } finally {
            connection.setAutoCommit(false);
          }
          fullSync = synced;
        }
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new StoreException("database write failed", e);
      } finally {
        lock.unlock();
      }
    }

    void close() {
      checkpointer.close();
      lock.lock();
      try {
        closed = true;
        try {
          connection.close();
        } catch (SQLException ignored) {
          // closing on shutdown
        }
      } finally {
        lock.unlock();
      }
    }
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
