package dev.agentdispatch.task;

import dev.agentdispatch.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for the task tests: a SQLite file in a test's temp folder, or a fresh database (CREATE DATABASE)
 * on an embedded PostgreSQL server that a test class starts once.
 */
final class TaskTestDatabases {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private TaskTestDatabases() {}

  static String sqliteUrl(Path dir) {
    return "jdbc:sqlite:" + dir.resolve("tasks-" + NEXT.incrementAndGet() + ".db");
  }

  static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /**
   * Creates a new database on the server and returns its JDBC URL. With a {@code template}, the database is a
   * copy of it (a migrated template makes each test's Database.open quick); without, it is empty.
   */
  static String freshPostgresUrl(EmbeddedPostgres pg, String template) {
    String name = "tasks_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  /** Creates a database, applies the migrations to it, and returns its name for use as a template. */
  static String migratedTemplate(EmbeddedPostgres pg) {
    String url = freshPostgresUrl(pg, null);
    Database.open(url).close();
    return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
  }

  static void stop(EmbeddedPostgres pg) {
    if (pg == null) {
      return;
    }
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
