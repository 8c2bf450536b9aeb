package dev.agentdispatch.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TimeZone;
import java.util.UUID;

/**
 * One embedded PostgreSQL per test class; each test asks for a fresh database so it never sees another
 * test's rows. Sessions run in a non-UTC zone on purpose (times are epoch millis and must not care): the JDBC
 * driver sends the JVM's default zone as the session TimeZone, so while a Postgres is up the JVM default is
 * {@link #ZONE}; {@link #close()} restores it.
 */
public final class Postgres implements AutoCloseable {
  public static final String ZONE = "Pacific/Chatham";
  private final EmbeddedPostgres pg;
  private final TimeZone previousZone;

  private Postgres(EmbeddedPostgres pg, TimeZone previousZone) {
    this.pg = pg;
    this.previousZone = previousZone;
  }

  public static Postgres start() {
    TimeZone previous = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(ZONE));
    try {
      return new Postgres(EmbeddedPostgres.builder()
          .setServerConfig("timezone", ZONE)
          .setServerConfig("max_connections", "200")
          .start(), previous);
    } catch (IOException e) {
      TimeZone.setDefault(previous);
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String freshDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  @Override
  public void close() {
    try {
      pg.close();
      TimeZone.setDefault(previousZone);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
